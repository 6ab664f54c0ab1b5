using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// The remote verbs, over a server's HTTP API: <c>list</c>, <c>status ID</c>, <c>watch ID</c>, <c>cancel ID</c>,
/// <c>retry ID [--from STEP]</c>. <c>watch</c> shows the live stream with the same view as <c>run</c> and exits like it
/// (0 completed, 1 faulted or cancelled); every refusal is one line naming the server's reason, exit 1 (2 for bad usage).
/// </summary>
internal static class RemoteCommand
{
    private static readonly string[] ListFilters = ["status", "workflow", "vm", "host", "since", "until", "limit", "cursor"];

    private static string Usage(string verb) => verb switch
    {
        "list" => "usage: virtflow list [--status S] [--workflow NAME] [--vm VM] [--host HOST] [--since TIME] [--until TIME] [--limit N] [--cursor C] [--json]\n" +
                  "  lists instances on the server, newest first (filters and paging done by the server)\n",
        "status" => "usage: virtflow status ID [--json]\n  an instance's status, inputs, outputs, fault and each step's state\n",
        "watch" => "usage: virtflow watch ID [--json] [-v]\n" +
                   "  follows an instance live until it ends: steps, each disk's phase and progress, the quiesce window;\n" +
                   "  reconnects by itself and resumes where it was (nothing lost, nothing twice)\n" +
                   "  --json   every event as a JSON line, then the final instance as one line\n" +
                   "  -v       also what waiting steps wait for\n" +
                   "  exit code: 0 completed, 1 faulted, cancelled or unreachable, 2 bad usage\n",
        "cancel" => "usage: virtflow cancel ID [--reason TEXT] [--json]\n  cancels an instance (its finally blocks run)\n",
        _ => "usage: virtflow retry ID [--from STEP] [--input NAME=VALUE]... [--json]\n" +
             "  continues a faulted instance from its faulted step, or from STEP, keeping the completed steps;\n" +
             "  --input changes an input for the retry\n",
    } + RemoteArguments.ConnectionHelp;

    public static async Task<int> RunAsync(string verb, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        RemoteArguments options;
        try
        {
            options = RemoteArguments.Parse(args, verb == "list" ? ListFilters : [], from: verb == "retry", reason: verb == "cancel");
            if (options.Help)
            {
                await stdout.WriteLineAsync(Usage(verb));
                return 0;
            }
            var wanted = verb == "list" ? 0 : 1;
            if (options.Positional.Count != wanted)
                throw new RunUsageException(wanted == 0 ? $"unexpected argument '{options.Positional[0]}'" : options.Positional.Count == 0 ? "no instance ID given" : $"one instance at a time ('{options.Positional[0]}', then '{options.Positional[1]}')");
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: {RunHost.OneLine(e.Message)} (see virtflow {verb} --help)");
            return 2;
        }
        using var client = new VirtFlowApiClient(options.Server!, options.ApiKey!);
        try
        {
            var id = options.Positional.FirstOrDefault();
            return verb switch
            {
                "list" => await ListAsync(client, options, stdout, ct),
                "status" => await StatusAsync(client, id!, options, stdout, stderr, ct),
                "watch" => await WatchAsync(client, id!, options.Json, options.Verbosity, jsonLines: true, stdout, stderr, "watch", ct),
                "cancel" => await Print(await client.CancelAsync(id!, options.Reason, ct), options, stdout, $"cancel requested for {TerminalText.Safe(id)}"),
                _ => await Print(await client.RetryAsync(id!, options.From, ct, options.RetryInputs), options, stdout, $"instance {TerminalText.Safe(id)} continues{(options.From is { } s ? $" from step {TerminalText.Safe(s)}" : "")}; 'virtflow watch {TerminalText.Safe(id)}' follows it"),
            };
        }
        catch (ApiClientException e)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"virtflow {verb}: interrupted");
            return 1;
        }
    }

    private static async Task<int> Print(JsonObject answer, RemoteArguments options, TextWriter stdout, string line)
    {
        await stdout.WriteLineAsync(options.Json ? RunReport.Json(answer) : line);
        return 0;
    }

    private static async Task<int> ListAsync(VirtFlowApiClient client, RemoteArguments options, TextWriter stdout, CancellationToken ct)
    {
        var page = await client.ListAsync(options.Filters, ct);
        if (options.Json)
        {
            await stdout.WriteLineAsync(RunReport.Json(page));
            return 0;
        }
        var items = page["items"] as JsonArray ?? [];
        await stdout.WriteLineAsync($"{"ID",-32}  {"WORKFLOW",-24}  {"STATUS",-10}  UPDATED");
        foreach (var item in items.OfType<JsonObject>())
        {
            await stdout.WriteLineAsync($"{Safe(item, "id"),-32}  {Safe(item, "workflow"),-24}  {Safe(item, "status"),-10}  {Safe(item, "updatedAt")}");
        }
        if (page["nextCursor"]?.GetValue<string>() is { } next) await stdout.WriteLineAsync($"more: --cursor {TerminalText.Safe(next)}");
        return 0;
    }

    private static async Task<int> StatusAsync(VirtFlowApiClient client, string id, RemoteArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (await client.GetAsync(id, ct) is not { } detail)
        {
            await stderr.WriteLineAsync($"virtflow status: no instance '{TerminalText.Safe(id)}' on {client.Server}");
            return 1;
        }
        if (options.Json)
        {
            await stdout.WriteLineAsync(RunReport.Json(detail));
            return 0;
        }
        await stdout.WriteLineAsync($"{Safe(detail, "id")} {Safe(detail, "workflow")} v{detail["version"]}: {Safe(detail, "status")}{(detail["fault"] is { } f ? ": " + TerminalText.Safe(f.ToString(), TerminalText.LongMaxLength) : "")}");
        foreach (var step in (detail["steps"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var attempts = step["attempts"]?.GetValue<int>() is > 1 and var a ? $" (attempt {a})" : "";
            await stdout.WriteLineAsync($"  step {Safe(step, "path")} ({Safe(step, "type")}): {Safe(step, "status")}{attempts}");
        }
        return 0;
    }

    /// <summary>
    /// Follows <paramref name="id"/> on the live stream to its end with the run view (or JSON lines), reconnecting by
    /// sequence; then reports the final instance as <c>run</c> does, with its exit code.
    /// </summary>
    internal static async Task<int> WatchAsync(VirtFlowApiClient client, string id, bool json, int verbosity, bool jsonLines, TextWriter stdout, TextWriter stderr, string verb, CancellationToken ct)
    {
        var view = RunView.Create(stdout, json, showInstance: false, verbose: verbosity > 0, jsonLines: jsonLines);
        view?.Start();
        var seen = new StreamOutcome(id);
        try
        {
            await foreach (var item in client.FollowAsync(id, reason => stderr.WriteLine($"virtflow {verb}: reconnecting ({reason})"), ct))
            {
                if (item is not LiveStreamItem.Event e) continue;
                seen.Apply(e.Value);
                view?.Post(e.Value);
            }
        }
        finally
        {
            if (view is not null) await view.CompleteAsync();
        }
        // The stored instance when the server answers GET /api/instances/{id}; else what the stream said.
        var final = await client.GetAsync(id, ct) is { } detail ? Outcome(detail) : seen.Outcome;
        if (json) await stdout.WriteLineAsync(jsonLines ? RunReport.Document(final).ToJsonString() : RunReport.Json(RunReport.Document(final)));
        else await RunReport.WriteSummaryAsync(final, stdout, stderr);
        return RunReport.ExitCode(final);
    }

    /// <summary>The instance detail of <c>GET /api/instances/{id}</c> as <c>run</c> reports it.</summary>
    private static RunOutcome Outcome(JsonObject detail)
    {
        Enum.TryParse<InstanceStatus>(detail["status"]?.GetValue<string>(), ignoreCase: true, out var status);
        var outcome = new RunOutcome(Safe(detail, "id"), Safe(detail, "workflow"), status, detail["outputs"]?.DeepClone() as JsonObject,
            detail["fault"]?.GetValue<string>(), Time(detail, "createdAt") ?? default, null);
        return outcome.IsFinal ? outcome with { EndedAt = Time(detail, "updatedAt") } : outcome;
    }

    private static DateTimeOffset? Time(JsonObject o, string name) =>
        o[name]?.GetValue<string>() is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : null;

    private static string Safe(JsonObject o, string name) => TerminalText.Safe(o[name]?.ToString() ?? "");
}
