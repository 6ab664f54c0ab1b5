using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
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
    /// <summary>The remote verbs, each a command of its own.</summary>
    public static readonly string[] Verbs = ["list", "status", "watch", "cancel", "retry"];

    private static string Description(string verb) => verb switch
    {
        "list" => "Lists instances on the server, newest first (filters and paging done by the server).",
        "status" => "An instance's status, inputs, outputs, fault and each step's state.",
        "watch" => "Follows an instance live until it ends: steps, each disk's phase and progress, the quiesce window; "
                   + "reconnects by itself and resumes where it was (nothing lost, nothing twice). "
                   + "--json: every event as a JSON line, then the final instance as one line; -v: also what waiting steps wait for.\n"
                   + "exit code: 0 completed, 1 faulted, cancelled or unreachable, 2 bad usage",
        "cancel" => "Cancels an instance (its finally blocks run).",
        _ => "Continues a faulted instance from its faulted step, or from STEP, keeping the completed steps; --input changes an input for the retry.",
    } + (verb == "watch" ? "" : "\nexit code: 0 done, 1 the server refused or is unreachable, 2 bad usage");

    /// <summary>The remote verb <paramref name="verb"/>, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(string verb, CliOptions shared)
    {
        var command = new Command(verb, Description(verb));
        Argument<string[]>? id = null;
        if (verb != "list")
        {
            id = CliArguments.Positional("ID", "the instance's id", 1, ids => $"one instance at a time ('{ids[0]}', then '{ids[1]}')");
            CliArguments.AddRequired(command, id, "no instance ID given");
        }
        Option<string?>[] filters = verb != "list" ? [] :
        [
            RemoteArguments.Passed("status", "S", "running, suspended, completed, faulted or cancelled"),
            RemoteArguments.Passed("workflow", "NAME", "the workflow's name"),
            RemoteArguments.Passed("vm", "VM", "instances that touch this VM"),
            RemoteArguments.Passed("host", "HOST", "instances that touch this host"),
            RemoteArguments.Passed("since", "TIME", "updated at or after TIME (ISO 8601)"),
            RemoteArguments.Passed("until", "TIME", "updated before TIME (ISO 8601)"),
            RemoteArguments.Passed("limit", "N", "at most N instances (1 to 500)"),
            RemoteArguments.Passed("cursor", "C", "the next page, as the previous one named it"),
        ];
        foreach (var filter in filters) command.Add(filter);
        var from = verb == "retry" ? RemoteArguments.Passed("from", "STEP", "continue from this step (default: the faulted one)") : null;
        var reason = verb == "cancel" ? RemoteArguments.Passed("reason", "TEXT", "why, kept with the instance") : null;
        if (from is not null)
        {
            command.Add(from);
            command.Add(shared.Input);
        }
        if (reason is not null) command.Add(reason);
        RemoteArguments.AddTo(command, shared);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
            RunAsync(verb, RemoteArguments.From(parsed, shared, id, filters, from, reason, retryInputs: verb == "retry"), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow VERB ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string verb, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync([verb, .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(string verb, RemoteArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        using var client = new VirtFlowApiClient(options.Server, options.ApiKey);
        try
        {
            var id = options.Positional.FirstOrDefault();
            return verb switch
            {
                "list" => await ListAsync(client, options, stdout, ct),
                "status" => await StatusAsync(client, id!, options, stdout, stderr, ct),
                "watch" => await WatchAsync(client, id!, options.Json, options.Verbosity, jsonLines: true, stdout, stderr, "watch", ct),
                "cancel" => await Print(await client.CancelAsync(id!, options.Reason, ct), options, stdout, $"cancel requested for {TerminalText.Safe(id)}"),
                _ => await Print(await client.RetryAsync(id!, options.FromStep, ct, options.RetryInputs), options, stdout, $"instance {TerminalText.Safe(id)} continues{(options.FromStep is { } s ? $" from step {TerminalText.Safe(s)}" : "")}; 'virtflow watch {TerminalText.Safe(id)}' follows it"),
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
