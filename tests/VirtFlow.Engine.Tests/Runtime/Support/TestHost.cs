using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Runtime.Support;

/// <summary>
/// An engine on a real store (in-memory, or SQLite in a temporary file), the real Jint evaluator and YAML
/// parser, the built-in activities plus the test ones, and an in-process transport.
/// </summary>
public sealed class TestHost : EngineTestHost
{
    private TestHost(EngineTestStore opened, TimeProvider clock, Probe probe, HostSettings settings)
        : base(opened)
    {
        Clock = clock;
        Probe = probe;
        Transport = settings.Transport ?? new InProcessOutboxTransport();
        Activities = ActivityRegistry.CreateDefault(settings.HttpClient)
            .Register(new ProbeActivity(probe))
            .Register(new BlockActivity(probe, settings.BlockForever))
            .Register(new WaitAllActivity(probe))
            .Register(new HangActivity(probe));
        Engine = new WorkflowEngine(
            (settings.Options ?? new WorkflowEngineOptions()) with { EngineId = settings.EngineId ?? $"test-{Guid.NewGuid().ToString("N")[..6]}" },
            Store,
            Evaluator,
            Activities,
            Definitions,
            settings.NoTransport ? null : Transport,
            clock);
    }

    public override WorkflowEngine Engine { get; }
    public TimeProvider Clock { get; }
    public ManualClock ManualClock => (ManualClock)Clock;
    public Probe Probe { get; }
    public InProcessOutboxTransport Transport { get; }
    public ActivityRegistry Activities { get; }

    /// <summary>The SQLite file (null for the in-memory store).</summary>
    public string? DatabasePath => ((Store as WorkflowStoreDecorator)?.Inner ?? Store) is SqliteWorkflowStore s ? s.Path : null;

    public static async Task<TestHost> CreateAsync(string storeKind, HostSettings? settings = null)
    {
        settings ??= new HostSettings();
        var clock = settings.Clock ?? new ManualClock();
        var probe = settings.Probe ?? new Probe();
        var store = await EngineTestStore.OpenAsync(storeKind, clock, "rt", settings.SqlitePath, settings.WrapStore);
        return new TestHost(store, clock, probe, settings);
    }

    /// <summary>Parses a workflow (failing the test on any error) and registers it by name.</summary>
    public WorkflowDefinition Define(string yaml)
    {
        var result = WorkflowParser.Parse(yaml, "test.yaml");
        Assert.True(result.Definition is not null, "the test workflow does not parse: " + string.Join("; ", result.Diagnostics));
        Definitions.Add(result.Definition!);
        return result.Definition!;
    }

    /// <summary>Starts a workflow and returns the instance as it is once blocked or final.</summary>
    public async Task<WorkflowInstance> RunAsync(string yaml, JsonObject? inputs = null, StartOptions? options = null)
    {
        var id = await Engine.StartAsync(Define(yaml), inputs, options);
        return (await Engine.GetInstanceAsync(id))!;
    }

    /// <summary>Waits (real time, bounded) until the instance is final.</summary>
    public async Task<WorkflowInstance> CompletionAsync(string id, int seconds = 20)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        return await Engine.WaitForCompletionAsync(id, cts.Token);
    }

    /// <summary>The step states of an instance, by path.</summary>
    public static JsonObject Steps(WorkflowInstance instance) => instance.State["steps"]?.AsObject() ?? new JsonObject();

    public static string? StepStatus(WorkflowInstance instance, string path) => Steps(instance)[path]?["status"]?.GetValue<string>() ?? "Pending";

    public static JsonNode? Outputs(WorkflowInstance instance, string path) => Steps(instance)[path]?["outputs"];
}

/// <summary>How a <see cref="TestHost"/> is built.</summary>
public sealed record HostSettings
{
    public TimeProvider? Clock { get; init; }
    public Probe? Probe { get; init; }
    public string? SqlitePath { get; init; }
    public string? EngineId { get; init; }
    public bool BlockForever { get; init; }
    public bool NoTransport { get; init; }
    public InProcessOutboxTransport? Transport { get; init; }
    public WorkflowEngineOptions? Options { get; init; }
    public HttpClient? HttpClient { get; init; }
    /// <summary>Wraps the store (to observe or delay it).</summary>
    public Func<IWorkflowStore, IWorkflowStore>? WrapStore { get; init; }
}
