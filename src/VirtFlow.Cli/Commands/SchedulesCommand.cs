using System.Text.Json.Nodes;
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
    private static readonly string[] Options = ["note", "from", "to", "overlap"];

    private const string Usage =
        "usage: virtflow schedules list [--json]\n" +
        "       virtflow schedules pause ID [--note TEXT]     its firings are skipped (and recorded) until resumed\n" +
        "       virtflow schedules resume ID [--note TEXT]\n" +
        "       virtflow schedules trigger ID                 fire now (scheduled time: now)\n" +
        "       virtflow schedules backfill ID --from TIME --to TIME [--overlap skip|bufferOne|allow|cancelOther]\n" +
        "                                                     fire every scheduled time in [from, to) not fired yet\n" +
        "  ID is {workflow}:{schedule id}, e.g. nightly-backup:schedule1; TIME is ISO 8601 (2027-03-28T00:00:00Z)\n";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        RemoteArguments options;
        string action;
        try
        {
            options = RemoteArguments.Parse(args, Options);
            if (options.Help || options.Positional.Count == 0)
            {
                await (options.Help ? stdout : stderr).WriteLineAsync(Usage + RemoteArguments.ConnectionHelp);
                return options.Help ? 0 : 2;
            }

            action = options.Positional[0];
            var wanted = action == "list" ? 1 : 2;
            if (action is not ("list" or "pause" or "resume" or "trigger" or "backfill"))
                throw new RunUsageException($"unknown action '{action}' (list, pause, resume, trigger, backfill)");
            if (options.Positional.Count != wanted)
                throw new RunUsageException(wanted == 2 && options.Positional.Count == 1 ? $"{action}: no schedule ID given" : $"unexpected argument '{options.Positional[wanted]}'");
            if (action == "backfill" && (!options.Filters.ContainsKey("from") || !options.Filters.ContainsKey("to")))
                throw new RunUsageException("backfill needs --from TIME and --to TIME");
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow schedules: {RunHost.OneLine(e.Message)} (see virtflow schedules --help)");
            return 2;
        }

        using var client = new VirtFlowApiClient(options.Server!, options.ApiKey!);
        try
        {
            var id = options.Positional.Count > 1 ? options.Positional[1] : null;
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
