using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Contracts.Text;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow plan NAME --input k=v ... [--inputs FILE] [--json]</c>: the dry run of a start on a server
/// (<c>POST /api/preflight</c>): the server checks the inputs and the lock and asks the host's worker about the VM, its
/// disks and the targets; nothing changes. Prints one line per disk and target, then each problem. Exit 0 when the run
/// can go, 1 when it would fail (or the server refused or was unreachable), 2 for bad usage.
/// </summary>
internal static class PlanCommand
{
    private const string Description =
        "The dry run of starting workflow NAME on the server (remote: --server, --api-key), or of FILE.yaml with the embedded "
        + "worker of this process (--vm NAME=SOCKET --storage-root DIR [--store SPEC]): what the host's worker finds (each disk's "
        + "file, size and format; each target's storage root, free space and whether it exists; the guest agent; QEMU) and "
        + "every reason the run would fail, one line each. Changes nothing. --json prints the plan as one JSON object.\n"
        + "exit code: 0 the run can go, 1 it would fail (or the server refused), 2 bad usage";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var workflow = new RunArguments.WorkflowOptions(CliArguments.Positional("NAME|FILE.yaml",
            "a workflow the server knows, or a workflow file planned here with the embedded worker",
            1, names => $"one workflow at a time ('{names[0]}', then '{names[1]}')"));
        var command = new Command("plan", Description);
        CliArguments.AddRequired(command, workflow.File, "no workflow NAME given");
        command.Add(shared.Input);
        command.Add(shared.Inputs);
        command.Add(shared.Server);
        command.Add(shared.ApiKey);
        RunArguments.AddTo(command, shared);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
        {
            var name = parsed.GetValue(workflow.File)![0];
            if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
            {
                if (parsed.GetResult(shared.Server) is not null || parsed.GetResult(shared.ApiKey) is not null)
                    throw new RunUsageException($"--server and --api-key go with a workflow NAME; '{name}' is a file, planned here (--vm, --storage-root)");
                return PlanEmbedded.RunAsync(RunArguments.From(parsed, shared, workflow), stdout, stderr, ct);
            }
            var embedded = new Option[] { shared.Vm, shared.StorageRoot, shared.AllowQmp, shared.Store }.FirstOrDefault(o => parsed.GetResult(o) is not null);
            if (embedded is not null)
                throw new RunUsageException($"{embedded.Name} goes with a workflow FILE.yaml (planned here); NAME is planned on the server");
            var (server, key) = shared.Connection(parsed);
            return RunAsync(name, shared.InputSources(parsed), parsed.GetValue(shared.Json), server, key, stdout, stderr, ct);
        });
        return command;
    }

    /// <summary>Runs <c>virtflow plan ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["plan", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(string name, List<RunInputs.Source> sources, bool json, Uri server, string apiKey,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        JsonObject inputs;
        try
        {
            inputs = RunInputs.Build(sources);
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow plan: {RunHost.OneLine(e.Message)} (see virtflow plan --help)");
            return 2;
        }
        using var client = new VirtFlowApiClient(server, apiKey);
        JsonObject plan;
        try
        {
            plan = await client.PlanAsync(name, inputs, ct);
        }
        catch (ApiClientException e)
        {
            await stderr.WriteLineAsync($"virtflow plan: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync("virtflow plan: interrupted");
            return 1;
        }
        return await PrintAsync(plan, json, stdout);
    }

    /// <summary>Prints the plan (lines, or one JSON object); 0 when the run can go, else 1.</summary>
    internal static async Task<int> PrintAsync(JsonObject plan, bool json, TextWriter stdout)
    {
        if (json) await stdout.WriteLineAsync(RunReport.Json(plan));
        else foreach (var line in Lines(plan)) await stdout.WriteLineAsync(line);
        return plan["canRun"]?.GetValue<bool>() == true ? 0 : 1;
    }

    /// <summary>The plan as an operator reads it: the VM, the lock, one line per disk and target, each problem, the verdict.</summary>
    internal static IEnumerable<string> Lines(JsonObject plan)
    {
        var vm = Text(plan, "vm") is { } name ? $" on host {Text(plan, "host") ?? "?"}, VM {name}" : "";
        var facts = new List<string>();
        if (Text(plan, "qemuVersion") is { } qemu) facts.Add("QEMU " + qemu);
        if (Text(plan, "runState") is { } state) facts.Add(state);
        if (Text(plan, "quiesce") is { } quiesce) facts.Add("quiesce " + quiesce);
        if (plan["guestAgentAnswers"] is JsonValue agent) facts.Add(agent.GetValue<bool>() ? "guest agent answers" : "guest agent does not answer");
        yield return $"plan {Text(plan, "workflow")} v{plan["version"]}{vm}{(facts.Count > 0 ? $" ({string.Join(", ", facts)})" : "")}";
        if (Text(plan, "lockKey") is { } key)
            yield return $"  lock {key}: {(Text(plan, "lockHolder") is { } holder ? "held by instance " + holder : "free")}";
        foreach (var disk in (plan["disks"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var source = Text(disk, "currentFile") is { } file
                ? $"{file} ({Text(disk, "format") ?? "?"}, {Bytes(disk["virtualSize"])})"
                : "(not found on the VM)";
            var target = Text(disk, "storageRoot") is { } root
                ? $"under {root}, {Bytes(disk["freeBytes"])} free, {(disk["targetExists"]?.GetValue<bool>() == true ? "exists" : "new")}"
                : "under no storage root";
            yield return $"  disk {Text(disk, "device")}: {source} -> {Text(disk, "target")} ({Text(disk, "targetFormat") ?? "qcow2"}; {target})";
        }
        var problems = (plan["problems"] as JsonArray ?? []).Select(p => TerminalText.Safe(p?.ToString() ?? "", TerminalText.LongMaxLength)).ToList();
        foreach (var problem in problems) yield return "problem: " + problem;
        yield return problems.Count == 0 ? "the run can go" : $"the run would fail: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}";
    }

    private static string Bytes(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<long>(out var n) ? n.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "? bytes";

    private static string? Text(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? TerminalText.Safe(s) : null;
}
