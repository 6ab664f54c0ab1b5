namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, WorkflowInstance> _instances = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        CommitValidation.Validate(commit);
        ct.ThrowIfCancellationRequested();
        var now = Now;
        var given = commit.Instance;
        lock (_gate)
        {
            _instances.TryGetValue(given.Id, out var current);
            if (commit.ExpectedVersion == 0 ? current is not null : current?.Version != commit.ExpectedVersion)
                throw new ConcurrencyException(given.Id, commit.ExpectedVersion);

            var lockKey = given.LockKey ?? current?.LockKey;
            ThrowIfLocked(given.Id, lockKey, given.Status);
            var version = commit.ExpectedVersion + 1;
            _instances[given.Id] = given with
            {
                Version = version,
                LockKey = lockKey,
                Input = Copy(given.Input),
                Output = StoreJson.Clone(given.Output),
                State = ApplyState(commit),
                CreatedAt = StoreTime.OrNow(given.CreatedAt, _time),
                UpdatedAt = StoreTime.OrNow(given.UpdatedAt, _time),
                LeaseUntil = StoreTime.Normalize(given.LeaseUntil),
            };
            if (commit.ReplaceBookmarks) RemoveBookmarksOf(given.Id);
            foreach (var b in commit.Bookmarks) PutBookmark(b, now);
            foreach (var m in commit.Outbox) AddOutbox(m, now);
            foreach (var j in commit.Journal) AddJournal(j, now);
            foreach (var id in commit.ConsumedInboxEventIds) ConsumeInbox(id, now);
            return Task.FromResult(version);
        }
    }

    /// <inheritdoc />
    public Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var i) ? CopyOut(i) : null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<WorkflowInstance> result = _instances.Values
                .Where(i => query.Status is null || i.Status == query.Status)
                .Where(i => query.WorkflowName is null || i.WorkflowName == query.WorkflowName)
                .Where(i => query.CorrelationId is null || i.CorrelationId == query.CorrelationId)
                .OrderBy(i => i.CreatedAt).ThenBy(i => i.Id, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(CopyOut)
                .ToList();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        var at = StoreTime.Normalize(now);
        lock (_gate)
        {
            IReadOnlyList<string> result = _instances.Values
                .Where(i => i.Status == InstanceStatus.Running && (i.LeaseUntil is null || i.LeaseUntil < at))
                .OrderBy(i => i.LeaseUntil ?? DateTimeOffset.MinValue).ThenBy(i => i.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(i => i.Id)
                .ToList();
            return Task.FromResult(result);
        }
    }

    private WorkflowInstance CopyOut(WorkflowInstance i) =>
        i with { Input = Copy(i.Input), Output = StoreJson.Clone(i.Output), State = AssembleState(i) };
}
