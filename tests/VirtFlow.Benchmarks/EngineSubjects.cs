using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;
using VirtFlow.Engine.Storage.Sqlite;

namespace VirtFlow.Benchmarks;

/// <summary>
/// One engine as the <c>engine</c> suite drives it: the same two workflows (ten trivial steps; wait for an event
/// with its own correlation, then one trivial step) on VirtFlow or on WorkflowCore.
/// </summary>
internal interface IEngineSubject : IAsyncDisposable
{
    /// <summary>Row label, e.g. "VirtFlow (in-memory)".</summary>
    string Name { get; }

    /// <summary>Starts one ten-step instance and returns when it has completed.</summary>
    Task RunTenStepsAsync(int n, CancellationToken ct);

    /// <summary>How many of the ten-step instances run so far did not end Completed with n == 10.</summary>
    Task<int> CountWrongTenStepsAsync(CancellationToken ct);

    /// <summary>Starts an instance that waits for the event keyed by <paramref name="n"/>.</summary>
    Task StartWaitingAsync(int n, CancellationToken ct);

    /// <summary>Returns once <paramref name="count"/> instances are suspended on their event (subscription stored).</summary>
    Task WaitUntilWaitingAsync(int count, CancellationToken ct);

    /// <summary>Publishes the event of waiting instance <paramref name="n"/>; returns µs from the publish call to the instance's completion signal.</summary>
    Task<double> ResumeAsync(int n, CancellationToken ct);

    /// <summary>What the store keeps outside the managed heap (a file), for the memory table; null when nothing.</summary>
    string? StorageNote();
}

/// <summary>
/// VirtFlow as a host wires it: <see cref="WorkflowEngine"/> on a store (in-memory, or SQLite in a temporary
/// file), the real Jint evaluator and YAML parser, the built-in activities, background loop running. Completion
/// of a resumed instance is signalled by the engine's own <see cref="InstanceStatusChanged"/> (raised after the
/// final commit).
/// </summary>
internal sealed class EngineVirtFlowSubject : IEngineSubject
{
    /// <summary>The ten-step workflow: ten <c>setVariable</c> steps, each <c>n = ${ vars.n + 1 }</c>.</summary>
    public static readonly string TenStepsYaml = StepsYaml("bench-ten", 10);

    /// <summary>A workflow of <paramref name="steps"/> sequential <c>setVariable</c> steps, each <c>n = ${ vars.n + 1 }</c>.</summary>
    public static string StepsYaml(string name, int steps) =>
        $"name: {name}\nvariables: {{ n: 0 }}\nsteps:\n" + string.Concat(Enumerable.Range(1, steps).Select(i =>
            $"  - {{ id: s{i}, type: setVariable, with: {{ name: n, value: \"${{ vars.n + 1 }}\" }} }}\n"));

    public const string WaitingYaml = """
        name: bench-wait
        inputs:
          key: { type: string, required: true }
        steps:
          - { id: wait, type: waitEvent, with: { event: go, correlation: "${ inputs.key }" } }
          - { id: done, type: setVariable, with: { name: n, value: "${ steps.wait.outputs.payload.n + 1 }" } }
        """;

    private readonly IWorkflowStore _store;
    private readonly string? _dir;
    private readonly WorkflowDefinition _tenSteps;
    private readonly WorkflowDefinition _waiting;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _background;
    private readonly ConcurrentBag<string> _tenStepIds = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _completions = new(StringComparer.Ordinal);

    private EngineVirtFlowSubject(string name, IWorkflowStore store, string? dir, IExpressionEvaluator evaluator)
    {
        Name = name;
        _store = store;
        _dir = dir;
        var definitions = new WorkflowDefinitionRegistry(store);
        _tenSteps = Parse(TenStepsYaml);
        _waiting = Parse(WaitingYaml);
        definitions.Add(_tenSteps).Add(_waiting);
        Engine = new WorkflowEngine(new WorkflowEngineOptions { EngineId = "bench" }, store, evaluator, ActivityRegistry.CreateDefault(), definitions);
        Engine.EventRaised += OnEvent;
        _background = Engine.RunBackgroundAsync(_stop.Token);
    }

    public string Name { get; }

    public WorkflowEngine Engine { get; }

    /// <param name="storeKind"><c>memory</c> or <c>sqlite</c> (a new file in a temporary folder, deleted on dispose).</param>
    /// <param name="wrapStore">Wraps the store (profiling).</param>
    /// <param name="evaluator">The expression evaluator; a new Jint one by default.</param>
    public static async Task<EngineVirtFlowSubject> CreateAsync(string storeKind, Func<IWorkflowStore, IWorkflowStore>? wrapStore = null, IExpressionEvaluator? evaluator = null)
    {
        string? dir = null;
        IWorkflowStore store;
        if (storeKind == "sqlite")
        {
            dir = Directory.CreateTempSubdirectory("virtflow-bench-").FullName;
            store = new SqliteWorkflowStore(Path.Combine(dir, "virtflow.db"));
        }
        else
        {
            store = new InMemoryWorkflowStore();
        }
        if (wrapStore is not null) store = wrapStore(store);
        await store.InitializeAsync();
        var name = storeKind == "sqlite" ? "VirtFlow (SQLite file)" : "VirtFlow (in-memory)";
        return new EngineVirtFlowSubject(name, store, dir, evaluator ?? new JintExpressionEvaluator());
    }

    public async Task RunTenStepsAsync(int n, CancellationToken ct) =>
        _tenStepIds.Add(await Engine.StartAsync(_tenSteps, null, null, ct));

    public async Task<int> CountWrongTenStepsAsync(CancellationToken ct)
    {
        var wrong = 0;
        foreach (var id in _tenStepIds)
        {
            var instance = await Engine.GetInstanceAsync(id, ct);
            if (instance is not { Status: InstanceStatus.Completed } || instance.State["vars"]?["n"]?.GetValue<int>() != 10) wrong++;
        }
        return wrong;
    }

    /// <remarks>The instance id is derived from <paramref name="n"/> (not kept by the benchmark, whose memory is measured with the engine's).</remarks>
    public Task StartWaitingAsync(int n, CancellationToken ct) =>
        Engine.StartAsync(_waiting, new JsonObject { ["key"] = Key(n) }, new StartOptions { InstanceId = WaitingId(n) }, ct);

    /// <remarks>StartAsync returns once the instance is suspended and committed: nothing to wait for.</remarks>
    public async Task WaitUntilWaitingAsync(int count, CancellationToken ct)
    {
        var waiting = await _store.ListInstancesAsync(new InstanceQuery(Status: InstanceStatus.Suspended, Limit: count + 1), ct);
        if (waiting.Count < count) throw new InvalidOperationException($"{Name}: only {waiting.Count} of {count} instances are suspended");
    }

    public async Task<double> ResumeAsync(int n, CancellationToken ct)
    {
        var id = WaitingId(n);
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _completions[id] = done;
        var start = Stopwatch.GetTimestamp();
        await Engine.PublishEventAsync(new EventEnvelope($"go-{n}", $"event:go:{Key(n)}", new JsonObject { ["n"] = n }), ct);
        var end = await done.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return Stats.Micros(start, end);
    }

    public string? StorageNote()
    {
        if (_store is not SqliteWorkflowStore sqlite) return null;
        var bytes = new DirectoryInfo(Path.GetDirectoryName(sqlite.Path)!).EnumerateFiles().Sum(f => f.Length);
        return $"{bytes / 1024.0 / 1024.0:F1} MiB on disk (db + WAL)";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _background;
        _stop.Dispose();
        await _store.DisposeAsync();
        if (_dir is not null)
        {
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // left for the OS's temp cleanup
            }
        }
    }

    private static string Key(int n) => $"k-{n}";

    private static string WaitingId(int n) => $"w-{n}";

    /// <summary>What one waiting instance consists of in the store (state document size, journal entries, bookmarks).</summary>
    public async Task<string> DescribeWaitingAsync(int n, CancellationToken ct)
    {
        var instance = await _store.GetInstanceAsync(WaitingId(n), ct) ?? throw new InvalidOperationException($"no instance {WaitingId(n)}");
        var journal = await _store.GetJournalAsync(instance.Id, ct);
        var bookmarks = await _store.GetBookmarksAsync(instance.Id, ct);
        return $"state {instance.State.ToJsonString().Length} chars of JSON, input {instance.Input.ToJsonString().Length}, "
            + $"{journal.Count} journal entries ({string.Join(", ", journal.Select(j => j.Kind))}), {bookmarks.Count} bookmark(s)";
    }

    private void OnEvent(EngineEvent e)
    {
        if (e is InstanceStatusChanged { Status: InstanceStatus.Completed } c && _completions.TryRemove(c.InstanceId, out var done))
            done.TrySetResult(Stopwatch.GetTimestamp());
    }

    /// <summary>Parses a benchmark workflow (throws on errors).</summary>
    public static WorkflowDefinition Parse(string yaml)
    {
        var result = WorkflowParser.Parse(yaml, "bench.yaml");
        return result.Definition ?? throw new InvalidOperationException("benchmark workflow does not parse: " + string.Join("; ", result.Diagnostics));
    }
}
