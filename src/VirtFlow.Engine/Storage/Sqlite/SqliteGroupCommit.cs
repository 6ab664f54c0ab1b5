namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <summary>One commit waiting to be written, and how it ended.</summary>
    private sealed class CommitRequest(PreparedCommit commit)
    {
        private readonly TaskCompletionSource<long> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PreparedCommit Commit { get; } = commit;

        public Task<long> Task => _result.Task;

        public bool IsCompleted => _result.Task.IsCompleted;

        public void Succeed(long version) => _result.TrySetResult(version);

        public void Fail(Exception error) => _result.TrySetException(error);
    }

    /// <summary>
    /// Group commit: callers queue their commits; one of them (the leader) takes the write lock and writes
    /// everything queued so far in one transaction, while commits arriving meanwhile queue up for the next
    /// batch. A leader writes one batch (which holds its own commit) and hands over to a new drain when more
    /// are queued, so no caller waits for others' batches after its own is written.
    /// </summary>
    private sealed class GroupCommitQueue(SqliteWorkflowStore store, int maxBatch)
    {
        private readonly Queue<CommitRequest> _queue = new();
        private bool _draining;

        public async Task<long> SubmitAsync(PreparedCommit commit, CancellationToken ct)
        {
            var request = new CommitRequest(commit);
            bool lead;
            lock (_queue)
            {
                _queue.Enqueue(request);
                lead = !_draining;
                _draining = true;
            }
            if (lead)
            {
                await DrainOnceAsync().ConfigureAwait(false);
                return await request.Task.ConfigureAwait(false);
            }
            try
            {
                return await request.Task.WaitAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested && !request.IsCompleted)
            {
                // Cancelled while queued: withdrawn unless a batch has taken it already (then its result stands).
                lock (_queue)
                {
                    if (Withdraw(request)) throw;
                }
                return await request.Task.ConfigureAwait(false);
            }
        }

        private bool Withdraw(CommitRequest request)
        {
            var found = false;
            var count = _queue.Count;
            for (var i = 0; i < count; i++)
            {
                var r = _queue.Dequeue();
                if (ReferenceEquals(r, request)) found = true;
                else _queue.Enqueue(r);
            }
            return found;
        }

        /// <summary>Writes one batch under the write lock; then ends the drain, or hands it on when more are queued.</summary>
        private async Task DrainOnceAsync()
        {
            var batch = new List<CommitRequest>();
            try
            {
                await store._writeGate.WaitAsync().ConfigureAwait(false);
                try
                {
                    lock (_queue)
                    {
                        while (batch.Count < maxBatch && _queue.TryDequeue(out var r)) batch.Add(r);
                    }
                    if (batch.Count > 0) store.WriteBatch(batch);
                }
                finally
                {
                    if (store._disposed) store.DropWriter();
                    store._writeGate.Release();
                }
            }
            catch (Exception ex)
            {
                // The lock itself failed (the store is disposed): nothing queued can be written any more.
                lock (_queue)
                {
                    while (_queue.TryDequeue(out var r)) batch.Add(r);
                }
                foreach (var r in batch) r.Fail(ex);
            }
            finally
            {
                bool more;
                lock (_queue)
                {
                    more = _queue.Count > 0;
                    if (!more) _draining = false;
                }
                if (more) _ = Task.Run(DrainOnceAsync);
            }
        }
    }
}
