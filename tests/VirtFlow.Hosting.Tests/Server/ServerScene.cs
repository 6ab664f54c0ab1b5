using System.Text.Json.Nodes;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>A workflow folder, a store and a broker for one test, and the <c>virtflow</c> command lines around them.</summary>
public sealed class ServerScene
{
    public static readonly TimeSpan Ready = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Finish = TimeSpan.FromMinutes(3);

    private ServerScene(Uri rabbitMq, string store, string dir)
    {
        RabbitMq = rabbitMq.ToString();
        Store = store;
        WorkflowDir = dir;
    }

    public string RabbitMq { get; }
    public string Store { get; }
    public string WorkflowDir { get; }

    /// <summary>A fresh folder holding <paramref name="workflows"/> (file name → text).</summary>
    public static async Task<ServerScene> CreateAsync(Uri rabbitMq, string store, params (string File, string Text)[] workflows)
    {
        var dir = TestDirs.Create("workflows");
        foreach (var (file, text) in workflows) await File.WriteAllTextAsync(Path.Combine(dir, file), text);
        return new ServerScene(rabbitMq, store, dir);
    }

    /// <summary>Starts <c>virtflow server</c> (with <paramref name="extra"/> options) and waits for its ready line.</summary>
    public Task<VirtFlowProcess> StartServerAsync(params string[] extra) => StartServerAsync(new Dictionary<string, string>(), extra);

    /// <summary>Starts <c>virtflow server</c> with <paramref name="environment"/> and <paramref name="extra"/> options, and waits for its ready line.</summary>
    public async Task<VirtFlowProcess> StartServerAsync(IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var server = VirtFlowProcess.Start(environment, ["server", "--rabbitmq", RabbitMq, "--store", Store, "--workflows", WorkflowDir, "--http", "http://127.0.0.1:0", .. extra]);
        await server.WaitForLineAsync("virtflow server ready", Ready);
        return server;
    }

    /// <summary>
    /// Runs a server once and stops it, so the broker has its queues and their bindings (clients publish their starts to
    /// the <c>StartWorkflow</c> exchange; <c>virtflow broker setup</c> or a first server binds it to <c>virtflow-start</c>).
    /// </summary>
    public async Task PrepareBrokerAsync()
    {
        await using var server = await StartServerAsync();
        server.Terminate();
        await server.WaitForExitAsync(Finish);
    }

    /// <summary><c>virtflow start WORKFLOW --rabbitmq ... ARGS</c> as a process.</summary>
    public VirtFlowProcess Start(string workflow, params string[] args) =>
        VirtFlowProcess.Start(["start", workflow, "--rabbitmq", RabbitMq, .. args]);

    /// <summary>Runs <c>virtflow start</c> to its end.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> RunStartAsync(string workflow, params string[] args)
    {
        await using var start = Start(workflow, args);
        var code = await start.WaitForExitAsync(Finish);
        return (code, start.Stdout, start.Stderr);
    }

    /// <summary>The <c>--json</c> document on stdout.</summary>
    public static JsonObject Document(string stdout) =>
        JsonNode.Parse(stdout) as JsonObject ?? throw new InvalidOperationException("not a JSON object: " + stdout);
}
