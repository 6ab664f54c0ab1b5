using System.CommandLine;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Contracts.Text;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow schedules list|pause|resume|trigger|backfill</c>, over a server's HTTP API (<c>/api/schedules</c>), with
/// <c>--server</c>/<c>--api-key</c> like the other remote verbs. Refusals are one line naming the server's reason (exit 1);
/// bad usage exits 2.
/// </summary>
internal static class SchedulesCommand
{
    private const string Description =
        "The schedules on a server: list, pause, resume, trigger or backfill. "
        + "ID is {workflow}:{schedule id}, e.g. nightly-backup:schedule1; TIME is ISO 8601 (2027-03-28T00:00:00Z).\n"
        + "exit code: 0 done, 1 the server refused or is unreachable, 2 bad usage";

    /// <summary>The verb and its actions, each a subcommand, their options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var schedules = new Command("schedules", Description);
        schedules.Add(Action(shared, "list", "the schedules, their next and last firing", id: false, []));
        var note = RemoteArguments.Passed("note", "TEXT", "why, kept with the schedule");
        schedules.Add(Action(shared, "pause", "its firings are skipped (and recorded) until resumed", id: true, [note]));
        schedules.Add(Action(shared, "resume", "fire it again at its times", id: true, [note]));
        schedules.Add(Action(shared, "trigger", "fire now (scheduled time: now)", id: true, []));
        Option<string?>[] backfill =
        [
            RemoteArguments.Passed("from", "TIME", "the first scheduled time to fire (required)"),
            RemoteArguments.Passed("to", "TIME", "fire the scheduled times before this one (required)"),
            RemoteArguments.Passed("overlap", "skip|bufferOne|allow|cancelOther", "what a firing does while an instance of an earlier one runs"),
        ];
        schedules.Add(Action(shared, "backfill", "fire every scheduled time in [from, to) not fired yet", id: true, backfill));
        return schedules;
    }

    private static Command Action(CliOptions shared, string action, string description, bool id, Option<string?>[] options)
    {
        var command = new Command(action, description);
        var schedule = id ? CliArguments.Positional("ID", "the schedule: {workflow}:{schedule id}", 1) : null;
        if (schedule is not null) CliArguments.AddRequired(command, schedule, "no schedule ID given");
        foreach (var option in options) command.Add(option);
        RemoteArguments.AddTo(command, shared);
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) =>
        {
            var arguments = RemoteArguments.From(parsed, shared, schedule, options);
            if (action == "backfill" && (!arguments.Filters.ContainsKey("from") || !arguments.Filters.ContainsKey("to")))
                throw new RunUsageException("backfill needs --from TIME and --to TIME");
            return RunAsync(action, arguments, stdout, stderr, ct);
        });
        return command;
    }

    /// <summary>Runs <c>virtflow schedules ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["schedules", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(string action, RemoteArguments options, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        using var client = new VirtFlowApiClient(options.Server, options.ApiKey);
        try
        {
            var id = options.Positional.FirstOrDefault();
            var body = new JsonObject();
            foreach (var (name, value) in options.Filters) body[name] = value;
            var answer = await client.SchedulesAsync(id, action == "list" ? null : action, body, ct);
            await stdout.WriteLineAsync(options.Json ? RunReport.Json(answer) : Describe(action, answer));
            return 0;
        }
        catch (ApiClientException e)
        {
            await stderr.WriteLineAsync($"virtflow schedules {action}: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"virtflow schedules {action}: interrupted");
            return 1;
        }
    }

    private static string Describe(string action, JsonObject answer)
    {
        if (action == "list")
        {
            var lines = new List<string> { $"{"SCHEDULE",-36}  {"CRON",-18}  {"TIME ZONE",-16}  {"STATE",-7}  {"NEXT",-25}  LAST" };
            foreach (var s in (answer["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var last = s["lastFiring"] as JsonObject;
                lines.Add($"{Safe(s, "id"),-36}  {Safe(s, "cron"),-18}  {Safe(s, "timeZone"),-16}  {(s["paused"]?.GetValue<bool>() == true ? "paused" : "active"),-7}  {Safe(s, "nextFiring"),-25}  "
                    + (last is null ? "-" : $"{Safe(last, "scheduledTime")} {Safe(last, "outcome")} {Safe(last, "instanceId")}"));
            }

            return string.Join('\n', lines);
        }

        if (action is "pause" or "resume")
            return $"{Safe(answer, "id")}: {(answer["paused"]?.GetValue<bool>() == true ? "paused" : "active")}{(answer["pauseNote"] is { } n ? " (" + TerminalText.Safe(n.ToString()) + ")" : "")}";
        var firings = (answer["firings"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(f => $"{Safe(f, "scheduledTime")} {Safe(f, "outcome")} {Safe(f, "instanceId")} {Safe(f, "detail")}".TrimEnd()).ToList();
        return firings.Count == 0 ? "no scheduled time in that range" : string.Join('\n', firings);
    }

    private static string Safe(JsonObject o, string name) => o[name] is { } v ? TerminalText.Safe(v.ToString()) : "";
}
