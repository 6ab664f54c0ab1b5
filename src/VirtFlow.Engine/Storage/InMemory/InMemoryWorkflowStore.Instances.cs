using System.Text.Json.Nodes;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    /// <summary>Id → the instance without its JSON (<see cref="Empty"/> in its place); the JSON is in <see cref="_json"/>.</summary>
    private readonly Dictionary<string, WorkflowInstance> _instances = new(StringComparer.Ordinal);

    /// <summary>Id → the instance's JSON as bytes (inputs, output, the state document's header), and what lists filter on.</summary>
    private readonly Dictionary<string, InstanceJson> _json = new(StringComparer.Ordinal);

    /// <summary>Stands for the JSON of a kept instance (never handed out: a read puts the instance's own back).</summary>
    private static readonly JsonObject Empty = new();

    /// <summary>An instance's JSON: inputs, output, the state document's header and its entries; what lists filter on.</summary>
    private sealed class InstanceJson(byte[] input, string? vm, string? host)
    {
        public byte[] Input { get; set; } = input;
        public byte[]? Output { get; set; }
        public byte[] Header { get; set; } = [];
        public StepRows Rows { get; set; } = new();
        public string? Vm { get; set; } = vm;
        public string? Host { get; set; } = host;
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
        var journal = commit.Journal.Select(j => (Entry: j, Body: StoredEntry.Body(j))).ToList();
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
                Input = Empty,
                Output = null,
                State = Empty,
                CreatedAt = StoreTime.OrNow(given.CreatedAt, _time),
                UpdatedAt = StoreTime.OrNow(given.UpdatedAt, _time),
                LeaseUntil = StoreTime.Normalize(given.LeaseUntil),
            };
            // the inputs are written with every commit (a retry may replace them), as a durable store writes its row
            if (!_json.TryGetValue(given.Id, out var json)) _json[given.Id] = json = new InstanceJson(input, vm, host);
            else (json.Input, json.Vm, json.Host) = (input, vm, host);
            json.Output = output;
            ApplyState(state, json);
            if (commit.ReplaceBookmarks) RemoveBookmarksOf(given.Id);
            foreach (var b in commit.Bookmarks) PutBookmark(b, now);
            foreach (var m in commit.Outbox) AddOutbox(m, now);
            foreach (var (j, body) in journal) AddJournal(j, body, now);
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
    public Task<long?> GetInstanceVersionAsync(string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_instances.TryGetValue(instanceId, out var i) ? i.Version : (long?)null);
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

    private WorkflowInstance CopyOut(WorkflowInstance i)
    {
        var json = _json[i.Id];
        return i with { Input = JsonBlob.ReadObject(json.Input), Output = JsonBlob.Read(json.Output) as JsonObject, State = AssembleState(json) };
    }
}
