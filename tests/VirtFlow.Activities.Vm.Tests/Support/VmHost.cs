using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Runtime.Outbox;
using VirtFlow.Engine.Storage;
using VirtFlow.Testing;

namespace VirtFlow.Activities.Vm.Tests.Support;

/// <summary>
/// The real engine (in-memory or SQLite store, Jint, the YAML parser, the built-in and VM activities) on a
/// manual clock, with a <see cref="FakeHost"/> behind its in-process outbox transport.
/// </summary>
public sealed class VmHost : EngineTestHost
{
    private VmHost(EngineTestStore opened, ManualClock clock, string engineId, bool registerHost)
        : base(opened)
    {
        Clock = clock;
        Activities = VmActivities.CreateRegistry();
        Host = new FakeHost(clock);
        if (registerHost) Transport.Register(Host.HostId, Host.HandleAsync);
        Engine = new WorkflowEngine(new WorkflowEngineOptions { EngineId = engineId }, Store, Evaluator, Activities, Definitions, Transport, clock);
        Host.Engine = Engine;
    }

    public override WorkflowEngine Engine { get; }
    public ManualClock Clock { get; }
    public FakeHost Host { get; }
    public InProcessOutboxTransport Transport { get; } = new();
    public ActivityRegistry Activities { get; }

    /// <param name="store"><c>memory</c> or <c>sqlite</c>.</param>
    /// <param name="wrap">Wraps the store (a store that "dies").</param>
    /// <param name="clock">The clock the engine runs on (a fresh one when null).</param>
    /// <param name="sqlitePath">An existing SQLite file to open (another engine's).</param>
    /// <param name="engineId">The engine's id (a fresh one when null).</param>
    /// <param name="registerHost">Registers the fake host's worker with the engine.</param>
    public static async Task<VmHost> CreateAsync(
        string store = "memory",
        ManualClock? clock = null,
        Func<IWorkflowStore, IWorkflowStore>? wrap = null,
        string? sqlitePath = null,
        string? engineId = null,
        bool registerHost = true)
    {
        clock ??= new ManualClock();
        var opened = await EngineTestStore.OpenAsync(store, clock, "vm", sqlitePath, wrap);
        return new VmHost(opened, clock, engineId ?? $"vm-test-{Guid.NewGuid().ToString("N")[..6]}", registerHost);
    }

    /// <summary>Parses a workflow (failing the test on any error or warning against the VM catalog) and registers it.</summary>
    public WorkflowDefinition Define(string yaml, string fileName = "test.yaml")
    {
        var result = WorkflowParser.Parse(yaml, fileName);
        var diagnostics = WorkflowValidator.Validate(result, Activities);
        Assert.True(diagnostics.Count == 0, $"{fileName} does not validate: " + string.Join("; ", diagnostics));
        Definitions.Add(result.Definition!);
        return result.Definition!;
    }

    /// <summary>One of the repository's <c>workflows/</c> files.</summary>
    public WorkflowDefinition Workflow(string fileName) => Define(File.ReadAllText(WorkflowFiles.Path(fileName)), fileName);

    /// <summary>Starts an instance and returns it once it is blocked or final.</summary>
    public async Task<WorkflowInstance> StartAsync(WorkflowDefinition definition, JsonObject inputs, string? instanceId = null)
    {
        var id = await Engine.StartAsync(definition, inputs, new StartOptions { InstanceId = instanceId });
        await SettleAsync();
        return await InstanceAsync(id);
    }


    /// <summary>Moves the clock and fires the timers that are due (as the engine's timer loop would).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        while (await Engine.ProcessDueTimersAsync() > 0)
        {
        }
        await SettleAsync();
    }

    /// <summary>
    /// Waits until the engine is idle: commands committed while a run went on are sent in the background, and the scripted
    /// host answers them at once, so a chain of runs may still be going when the call that started it returns.
    /// </summary>
    public async Task SettleAsync()
    {
        Assert.True(await Engine.WaitForIdleAsync(TimeSpan.FromSeconds(30)), "the engine did not settle within 30 s");
    }

    /// <summary>The outputs of a step, by path.</summary>
    public static JsonNode? Outputs(WorkflowInstance instance, string path) => instance.State["steps"]?[path]?["outputs"];

    public static string? Status(WorkflowInstance instance, string path) => instance.State["steps"]?[path]?["status"]?.GetValue<string>();

    /// <summary>The disks input of two disks.</summary>
    public static JsonObject TwoDisks(string? readyTimeout = null, string quiesce = "auto")
    {
        var inputs = new JsonObject
        {
            ["vm"] = "web1",
            ["disks"] = new JsonArray(
                new JsonObject { ["device"] = "vda", ["target"] = "/new/vda.qcow2" },
                new JsonObject { ["device"] = "vdb", ["target"] = "/new/vdb.raw", ["format"] = "raw" }),
            ["quiesce"] = quiesce,
        };
        if (readyTimeout is not null) inputs["readyTimeout"] = readyTimeout;
        return inputs;
    }

}

/// <summary>The repository's workflow files.</summary>
public static class WorkflowFiles
{
    public static string Path(string fileName) => System.IO.Path.Combine(TestDirs.RepoRoot, "workflows", fileName);
}
