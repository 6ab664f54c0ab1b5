using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

// WAL checkpoints off the commit path. SQLite's automatic checkpoint runs inside the COMMIT that crosses its
// threshold, so every few hundred commits one caller paid for copying the whole WAL into the database (measured:
// resume p99 29 ms, max 184 ms with 10,000 instances waiting). The connections turn it off
// (wal_autocheckpoint = 0) and the store runs a PASSIVE checkpoint on its own connection in the background after
// every CheckpointEvery write transactions, then finishes it with a short pass under the write lock. SQLite itself
// checkpoints and removes the WAL when the last connection closes.
public sealed partial class SqliteWorkflowStore
{
    /// <summary>Write transactions between two background checkpoints (the WAL then holds a few thousand pages at most).</summary>
    private const int CheckpointEvery = 128;

    private int _writesSinceCheckpoint;
    private int _checkpointing;

    /// <summary>Background checkpoints run so far (for tests and diagnostics).</summary>
    public long CheckpointCount => Interlocked.Read(ref _checkpointCount);

    private long _checkpointCount;

    /// <summary>Counts a committed write transaction; every <see cref="CheckpointEvery"/> starts a background checkpoint.</summary>
    private void Committed()
    {
        if (Interlocked.Increment(ref _writesSinceCheckpoint) < CheckpointEvery) return;
        if (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0) return;
        _ = Task.Run(Checkpoint);
    }

    /// <summary>
    /// Copies the WAL into the database in two passes: the long one beside the writers (PASSIVE: it copies the frames
    /// committed so far and blocks nobody), then a short one under the write lock for the frames written meanwhile, so
    /// the checkpoint is complete and the next write starts the WAL from its beginning instead of growing it forever.
    /// </summary>
    private async Task Checkpoint()
    {
        try
        {
            // Again while enough was written meanwhile (a slow disk under a burst): the WAL catches up even when the
            // writes stop, instead of waiting for the next burst.
            do
            {
                if (_disposed) return;
                Interlocked.Exchange(ref _writesSinceCheckpoint, 0);
                CheckpointPassive();
                await _writeGate.WaitAsync().ConfigureAwait(false);
                try
                {
                    if (!_disposed) CheckpointPassive();
                }
                finally
                {
                    _writeGate.Release();
                }
                Interlocked.Increment(ref _checkpointCount);
            }
            while (Volatile.Read(ref _writesSinceCheckpoint) >= CheckpointEvery);
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // A checkpoint is an optimisation: the next one (or the last connection's close) catches up.
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    private void CheckpointPassive()
    {
        var connection = _pool.Rent();
        try
        {
            SqliteCommands.Execute(connection, "PRAGMA wal_checkpoint(PASSIVE)");
        }
        finally
        {
            _pool.Return(connection);
        }
    }
}
