using System.Globalization;
using System.Text.Json.Nodes;
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
    private const string Usage =
        "usage: virtflow plan NAME [--input NAME=VALUE ...] [--inputs FILE.json] [--json]   (remote, on a server)\n" +
        "       virtflow plan FILE.yaml --vm NAME=SOCKET --storage-root DIR [--input ...] [--store SPEC] [--json]   (embedded worker)\n" +
        "  the dry run of starting workflow NAME on the server: what the host's worker finds (each disk's file, size and\n" +
        "  format; each target's storage root, free space and whether it exists; the guest agent; QEMU) and every reason\n" +
        "  the run would fail, one line each. Changes nothing.\n" +
        "  --input NAME=VALUE    an input (VALUE as JSON when it parses, else text; @FILE reads it from a file)\n" +
        "  --inputs FILE.json    inputs from a JSON object (later ones override earlier ones)\n" +
        "  --json                the plan as one JSON object\n" +
        "  exit code: 0 the run can go, 1 it would fail (or the server refused), 2 bad usage\n" + RemoteArguments.ConnectionHelp;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (args.FirstOrDefault(a => !a.StartsWith('-')) is { } first && (first.EndsWith(".yaml", StringComparison.Ordinal) || first.EndsWith(".yml", StringComparison.Ordinal)))
            return await PlanEmbedded.RunAsync(args, stdout, stderr, ct);
        RemoteArguments options;
        JsonObject inputs;
        try
        {
            options = RemoteArguments.Parse(args, [], inputs: true);
            if (options.Help)
            {
                await stdout.WriteLineAsync(Usage);
                return 0;
            }
            if (options.Positional.Count != 1)
                throw new RunUsageException(options.Positional.Count == 0 ? "no workflow NAME given" : $"one workflow at a time ('{options.Positional[0]}', then '{options.Positional[1]}')");
            inputs = RunInputs.Build(options.Inputs);
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow plan: {RunHost.OneLine(e.Message)} (see virtflow plan --help)");
            return 2;
        }
        using var client = new VirtFlowApiClient(options.Server!, options.ApiKey!);
        JsonObject plan;
        try
        {
            plan = await client.PlanAsync(options.Positional[0], inputs, ct);
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
        return await PrintAsync(plan, options.Json, stdout);
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
