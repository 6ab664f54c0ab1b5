using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Id → all the store keeps of the instance (one entry an instance: its record, JSON, journal and bookmarks' ids).</summary>
    private readonly Dictionary<string, Kept> _instances = new(StringComparer.Ordinal);

    /// <summary>Stands for the JSON of a kept instance (never handed out: a read puts the instance's own back).</summary>
    private static readonly JsonObject Empty = new();

    /// <summary>
    /// What the store keeps of one instance, in one object: the record without its JSON (<see cref="Empty"/> in its
    /// place), its JSON as bytes (inputs, output, the state document's header and its step entries), what lists filter on,
    /// its journal and the ids of its bookmarks. One object, not one an index: a waiting instance costs little.
    /// </summary>
    private sealed class Kept(WorkflowInstance instance, byte[] input, string? vm, string? host)
    {
        public WorkflowInstance Instance = instance;
        public byte[] Input = input;
        public byte[]? Output;
        public byte[] Header = [];
        public StepRows Rows;
        public string? Vm = vm;
        public string? Host = host;
        public PackedJournal Journal;

        /// <summary>The ids of its bookmarks (see <see cref="IdSet"/>).</summary>
        public object? Bookmarks;
    }

    /// <inheritdoc />
    public Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        CommitValidation.Validate(commit);
        ct.ThrowIfCancellationRequested();
        var now = Now;
        var given = commit.Instance;
        // Everything that can fail (writing the JSON: a NaN, too deep) is done before the first change, so a commit is
        // applied whole or not at all, as a durable store's transaction is.
        var (input, vm, host) = (JsonBlob.Write(given.Input)!, StringInput(given.Input, "vm"), StringInput(given.Input, "host"));
        var output = JsonBlob.Write(given.Output);
        var state = PrepareState(commit);
        var journal = commit.Journal.Select(PackedJournal.Body).ToList();
        lock (_gate)
        {
            _instances.TryGetValue(given.Id, out var kept);
            var current = kept?.Instance;
            if (commit.ExpectedVersion == 0 ? current is not null : current?.Version != commit.ExpectedVersion)
                throw new ConcurrencyException(given.Id, commit.ExpectedVersion);

            var lockKey = given.LockKey ?? current?.LockKey;
            ThrowIfLocked(given.Id, lockKey, given.Status);
            var version = commit.ExpectedVersion + 1;
            var instance = given with
            {
                Version = version,
                LockKey = lockKey,
                Input = Empty,
                Output = null,
                State = Empty,
                CreatedAt = StoreTime.OrNow(given.CreatedAt, _time),
                UpdatedAt = StoreTime.OrNow(given.UpdatedAt, _time),
                LeaseUntil = StoreTime.Normalize(given.LeaseUntil),
            };
            // the inputs are written with every commit (a retry may replace them), as a durable store writes its row
            if (kept is null) _instances[given.Id] = kept = new Kept(instance, input, vm, host);
            else (kept.Instance, kept.Input, kept.Vm, kept.Host) = (instance, input, vm, host);
            kept.Output = output;
            ApplyState(state, kept);
            if (commit.ReplaceBookmarks) RemoveBookmarksOf(kept);
            foreach (var b in commit.Bookmarks) PutBookmark(b, kept, now);
            foreach (var m in commit.Outbox) AddOutbox(m, now);
            AddJournal(kept, journal, now);
            foreach (var id in commit.ConsumedInboxEventIds) ConsumeInbox(id, now);
            return Task.FromResult(version);
        }
    }

    /// <inheritdoc />
    public Task<WorkflowInstance?> GetInstanceAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var kept) ? CopyOut(kept) : null);
    }

    /// <inheritdoc />
    public Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var kept) ? kept.Instance.Version : (long?)null);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<WorkflowInstance>> ListInstancesAsync(InstanceQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            IReadOnlyList<WorkflowInstance> result = _instances.Values
                .Where(k => Matches(k.Instance))
                .OrderBy(k => k.Instance.CreatedAt).ThenBy(k => k.Instance.Id, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(CopyOut)
                .ToList();
            return Task.FromResult(result);
        }

        bool Matches(WorkflowInstance i) => (query.Status is null || i.Status == query.Status)
            && (query.WorkflowName is null || i.WorkflowName == query.WorkflowName)
            && (query.CorrelationId is null || i.CorrelationId == query.CorrelationId);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindOrphanedInstancesAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        var at = StoreTime.Normalize(now);
        lock (_gate)
        {
            IReadOnlyList<string> result = _instances.Values
                .Select(k => k.Instance)
                .Where(i => i.Status == InstanceStatus.Running && (i.LeaseUntil is null || i.LeaseUntil < at))
                .OrderBy(i => i.LeaseUntil ?? DateTimeOffset.MinValue).ThenBy(i => i.Id, StringComparer.Ordinal)
                .Take(limit)
                .Select(i => i.Id)
                .ToList();
            return Task.FromResult(result);
        }
    }

    private static WorkflowInstance CopyOut(Kept kept) => kept.Instance with
    {
        Input = JsonBlob.ReadObject(kept.Input),
        Output = JsonBlob.Read(kept.Output) as JsonObject,
        State = AssembleState(kept),
    };
}
