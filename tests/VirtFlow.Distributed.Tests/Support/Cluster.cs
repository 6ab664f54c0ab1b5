using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Distributed.Tests.Support;

/// <summary>
/// One test's VirtFlow deployment, as processes: <c>virtflow server</c> on the test's store, <c>virtflow worker</c>s (one per
/// host id, unique to the test, so no queue is shared with another test), <c>virtflow start</c> and <c>virtflow event</c>, all
/// on the collection's RabbitMQ. Reads the truth from the store. Dispose kills whatever still runs and writes every
/// process's output into the test's output (shown when it fails).
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public static readonly TimeSpan ProcessStart = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Finish = TimeSpan.FromMinutes(3);
    private readonly List<VirtFlowProcess> _processes = [];
    private readonly ITestOutputHelper _output;
    private int _engines;
    private WorkflowStartClient? _client;

    private Cluster(ServersFixture servers, TestStore store, IWorkflowStore db, ITestOutputHelper output)
    {
        Servers = servers;
        Store = store;
        Db = db;
        _output = output;
        Tag = Guid.NewGuid().ToString("N")[..6];
        WorkflowsDir = TestWorkflows.WriteAll(TestDirs.Create("wf"));
    }

    public ServersFixture Servers { get; }

    public TestStore Store { get; }

    /// <summary>The store, opened by the test (the processes open their own).</summary>
    public IWorkflowStore Db { get; }

    /// <summary>Unique to the test: host ids, message ids and correlations carry it.</summary>
    public string Tag { get; }

    /// <summary>The shipped workflows and the test's own (<see cref="TestWorkflows"/>), as the server loads them.</summary>
    public string WorkflowsDir { get; }

    public string RabbitUri => Servers.Rabbit.AmqpUri.ToString();

    /// <summary>The server started last (killed or not).</summary>
    public VirtFlowProcess? Server { get; private set; }

    public static async Task<Cluster> CreateAsync(ServersFixture servers, TestStore store, ITestOutputHelper output) =>
        new(servers, store, await store.OpenAsync(), output);

    /// <summary><c>virtflow server</c>, once it printed its ready line.</summary>
    public async Task<VirtFlowProcess> StartServerAsync()
    {
        var engineId = $"engine-{Tag}-{++_engines}";
        Server = await StartReadyAsync("virtflow server ready",
            "server", "--rabbitmq", RabbitUri, "--store", Store.Spec, "--workflows", WorkflowsDir, "--engine-id", engineId,
            "--http", "http://127.0.0.1:0");
        return Server;
    }

    /// <summary><c>virtflow worker</c> for host <paramref name="hostId"/> serving <paramref name="vms"/>, once it printed its ready line.</summary>
    public Task<VirtFlowProcess> StartWorkerAsync(string hostId, params TestVm[] vms)
    {
        var args = new List<string> { "worker", "--host-id", hostId, "--rabbitmq", RabbitUri };
        foreach (var vm in vms) args.AddRange(["--vm", vm.Spec]);
        foreach (var root in vms.Select(v => v.StorageRoot).Distinct()) args.AddRange(["--storage-root", root]);
        return StartReadyAsync("virtflow worker ready", [.. args]);
    }

    /// <summary>A host id unique to this test.</summary>
    public string Host(string name) => $"{name}-{Tag}";

    /// <summary><c>virtflow start NAME --inputs FILE --message-id ID</c> (no wait): returns the instance id it printed.</summary>
    public async Task<string> StartAsync(string workflow, JsonObject inputs, string? messageId = null)
    {
        var file = Path.Combine(WorkflowsDir, "..", $"inputs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, inputs.ToJsonString());
        var args = new List<string> { "start", workflow, "--rabbitmq", RabbitUri, "--inputs", file };
        if (messageId is not null) args.AddRange(["--message-id", messageId]);
        var process = Track(VirtFlowProcess.Start([.. args]));
        var code = await process.WaitForExitAsync(ProcessStart);
        Assert.True(code == 0, process.ToString());
        var id = process.Stdout.Trim().Split('\n').Last().Trim();
        Assert.False(string.IsNullOrEmpty(id), process.ToString());
        if (messageId is not null) Assert.Equal(messageId, id);
        return id;
    }

    /// <summary>
    /// Sends <see cref="StartWorkflow"/> the way <c>virtflow start</c> does (its client, in this process: no process start
    /// per workflow); returns the instance id.
    /// </summary>
    public async Task<string> SendStartAsync(string workflow, JsonObject inputs)
    {
        _client ??= await WorkflowStartClient.ConnectAsync(BusTransport.Parse(RabbitUri), [], ProcessStart);
        var id = Guid.NewGuid().ToString("N");
        await _client.SendAsync(new StartWorkflow { MessageId = id, Workflow = workflow, InputsJson = inputs.ToJsonString() }, ProcessStart, CancellationToken.None);
        return id;
    }

    /// <summary><c>virtflow start NAME --inputs FILE --wait --json</c>: the exit code and the final document it printed.</summary>
    public async Task<(int Code, JsonObject? Final, VirtFlowProcess Process)> StartAndWaitAsync(string workflow, JsonObject inputs)
    {
        var file = Path.Combine(WorkflowsDir, "..", $"inputs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, inputs.ToJsonString());
        var process = Track(VirtFlowProcess.Start("start", workflow, "--rabbitmq", RabbitUri, "--inputs", file, "--wait", "--json", "--timeout", "3m"));
        var code = await process.WaitForExitAsync(Finish + TimeSpan.FromSeconds(30));
        JsonObject? final = null;
        try
        {
            final = JsonNode.Parse(process.Stdout) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return (code, final, process);
    }

    /// <summary><c>virtflow event --store ... --name N --correlation C [--id ID]</c>, straight into the store's inbox.</summary>
    public async Task SendEventAsync(string name, string correlation, string? eventId = null)
    {
        var args = new List<string> { "event", "--store", Store.Spec, "--name", name, "--correlation", correlation };
        if (eventId is not null) args.AddRange(["--id", eventId]);
        var process = Track(VirtFlowProcess.Start([.. args]));
        Assert.True(await process.WaitForExitAsync(ProcessStart) == 0, process.ToString());
    }

    /// <summary>Waits (bounded) until the instance exists and <paramref name="condition"/> holds for it and its bookmarks.</summary>
    public Task<WorkflowInstance> WaitUntilAsync(string id, Func<WorkflowInstance, IReadOnlyList<Bookmark>, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.Until(async () =>
        {
            var instance = await Db.GetInstanceAsync(id);
            if (instance is null) return null;
            return condition(instance, await Db.GetBookmarksAsync(id)) ? instance : null;
        }, timeout ?? Finish, $"instance {id}: {what}\n{Logs()}");

    /// <summary>Waits until the instance waits at <paramref name="stepPath"/> (a bookmark there).</summary>
    public Task<WorkflowInstance> WaitsAtAsync(string id, string stepPath, TimeSpan? timeout = null) =>
        WaitUntilAsync(id, (_, bookmarks) => bookmarks.Any(b => b.StepPath == stepPath), $"waiting at {stepPath}", timeout);

    /// <summary>Waits until the instance is Completed, Faulted or Cancelled.</summary>
    public Task<WorkflowInstance> WaitForEndAsync(string id, TimeSpan? timeout = null) =>
        WaitUntilAsync(id, (i, _) => i.Status is InstanceStatus.Completed or InstanceStatus.Faulted or InstanceStatus.Cancelled, "at its end", timeout);

    /// <summary>The instance's journal, oldest first.</summary>
    public Task<IReadOnlyList<JournalEntry>> JournalAsync(string id) => Db.GetJournalAsync(id);

    /// <summary>"status, fault, outputs, journal kinds" for assertion messages.</summary>
    public async Task<string> DescribeAsync(string id)
    {
        var instance = await Db.GetInstanceAsync(id);
        var journal = await Db.GetJournalAsync(id);
        return $"instance {id}: {instance?.Status}, fault: {instance?.Fault}, output: {instance?.Output?.ToJsonString()}\njournal:\n"
            + string.Join('\n', journal.Select(j => $"  {j.Sequence} {j.Kind} {j.StepPath} {j.Message}"));
    }

    /// <summary>Everything the processes printed so far.</summary>
    public string Logs() => string.Join("\n", _processes.Select(p => p.ToString()));

    public async ValueTask DisposeAsync()
    {
        if (_client is not null) await _client.DisposeAsync();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
            try
            {
                _output.WriteLine(process.ToString());
            }
            catch (InvalidOperationException)
            {
                // the test is over
            }
        }
        await Db.DisposeAsync();
    }

    private async Task<VirtFlowProcess> StartReadyAsync(string readyLine, params string[] args)
    {
        var process = Track(VirtFlowProcess.Start(args));
        await process.WaitForLineAsync(readyLine, ProcessStart);
        return process;
    }

    private VirtFlowProcess Track(VirtFlowProcess process)
    {
        lock (_processes) _processes.Add(process);
        return process;
    }
}
