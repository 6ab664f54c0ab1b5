using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Hosting.Engine;
using VirtFlow.Hosting.Preflight;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow plan FILE.yaml --vm NAME=SOCKET --storage-root DIR [--input ...]</c>: the dry run in this process, with
/// the embedded worker (as <c>virtflow run</c> has it) answering the inspection; nothing runs and no instance is made.
/// </summary>
internal static class PlanEmbedded
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(RunArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        JsonObject inputs;
        string storeSpec;
        var limits = LimitSettings.FromEnvironment();
        try
        {
            inputs = RunInputs.Build(options.Inputs);
            storeSpec = await options.StoreSpecAsync();
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow plan: {RunHost.OneLine(e.Message)} (see virtflow plan --help)");
            return 2;
        }
        var catalog = VirtFlowActivities.CreateRegistry();
        var definition = await RunWorkflowFile.LoadAsync(options.File!, catalog, stderr, "plan", ct, limits);
        if (definition is null) return 2;
        var called = await RunWorkflowFile.CalledAsync(options.File!, definition, catalog, stderr, "plan", ct, limits);
        if (called is null) return 2;
        var (host, code) = await RunHost.StartAsync(options, storeSpec, called, stderr, "plan", ct);
        if (host is null) return code;
        await using (host)
        {
            var preflight = new VmPreflight(host.Engine, TimeProvider.System, new WorkerVmInspector(host.Worker));
            var plan = await preflight.PlanAsync(definition, inputs, ct: ct);
            var json = JsonSerializer.SerializeToNode(plan, Json)!.AsObject();
            return await PlanCommand.PrintAsync(json, options.Json, stdout);
        }
    }
}
