using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Cli.CommandLine;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Activities.BuiltIn;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Cli.Commands;

/// <summary>
/// <c>virtflow event</c>: puts an event into the store's inbox, where the engine running the store (<c>virtflow run</c>,
/// <c>virtflow resume</c>, a server) picks it up within a second (its inbox sweep) and resumes the instances waiting
/// for its key; an event nobody waits for yet is kept (one hour) and matched when the wait begins. The same id twice
/// is one event. Nothing runs in this process: it never executes steps itself.
/// </summary>
internal static class EventCommand
{
    private const string Description =
        "Queues an event in the store's inbox; an engine running on the store delivers it to the instances waiting for its key.\n"
        + "exit code: 0 queued (or already received), 2 bad usage, 1 the store failed";

    /// <summary>The verb, its options declared (the shared ones from <paramref name="shared"/>).</summary>
    public static Command Create(CliOptions shared)
    {
        var key = new Option<string?>("--key") { HelpName = "KEY", Description = "the event's key as bookmarks wait for it (e.g. reply:COMMANDID)" };
        var name = new Option<string?>("--name") { HelpName = "NAME", Description = "a waitEvent's event name: the key is event:NAME:C (event:NAME without --correlation)" };
        var correlation = new Option<string?>("--correlation") { HelpName = "C", Description = "the waitEvent's correlation" };
        var data = new Option<string?>("--data") { HelpName = "JSON|@FILE", Description = "the payload (JSON; @FILE reads it from a file); default none" };
        var id = new Option<string?>("--id") { HelpName = "ID", Description = "the event's id (the same id twice is one event); default a fresh one" };
        var ttl = new Option<TimeSpan?>("--ttl")
        {
            HelpName = "DURATION",
            Description = "how long it is kept while nobody waits for it (30s, 5m, 1h); default 1h",
            CustomParser = r => CliOptions.Usage<TimeSpan?>(r, () => Ttl(r.Tokens[^1].Value)),
        };
        var command = new Command("event", Description) { shared.Store, key, name, correlation, data, id, ttl };
        VirtFlowCli.SetVerbAction(command, (parsed, stdout, stderr, ct) => RunAsync(parsed.GetValue(shared.Store), parsed.GetValue(key), parsed.GetValue(name),
            parsed.GetValue(correlation), parsed.GetValue(data), parsed.GetValue(id), parsed.GetValue(ttl), stdout, stderr, ct));
        return command;
    }

    /// <summary>Runs <c>virtflow event ARGS</c> through the command line (<see cref="VirtFlowCli"/>).</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        VirtFlowCli.InvokeAsync(["event", .. args], stdout, stderr, ct);

    private static async Task<int> RunAsync(string? store, string? key, string? name, string? correlation, string? data, string? id, TimeSpan? given,
        TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            if (key is not null && name is not null) throw new RunUsageException("give either --key or --name, not both");
            if (key is null && name is null) throw new RunUsageException("no event: give --key KEY or --name NAME [--correlation C]");
            if (correlation is not null && name is null) throw new RunUsageException("--correlation goes with --name");
            if (key is { Length: 0 } || name is { Length: 0 }) throw new RunUsageException("the event's key or name is empty");
            if (id is { Length: 0 }) throw new RunUsageException("--id needs a non-empty id");
            key ??= WaitEventActivity.KeyFor(name!, correlation);
            var payload = data is null ? null : Payload(data);
            var ttl = given ?? new WorkflowEngineOptions().InboxEventTtl;
            var spec = await RunStore.ResolveAsync(store);
            return await QueueAsync(spec, id ?? Guid.NewGuid().ToString("N"), key, payload, ttl, stdout, stderr, ct);
        }
        catch (RunUsageException e)
        {
            await stderr.WriteLineAsync($"virtflow event: {RunHost.OneLine(e.Message)} (see virtflow event --help)");
            return 2;
        }
    }

    private static async Task<int> QueueAsync(string spec, string id, string key, JsonNode? payload, TimeSpan ttl, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        IWorkflowStore store;
        try
        {
            store = await StoreFactory.OpenAsync(spec, ct: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await stderr.WriteLineAsync($"virtflow event: cannot open the store {RunHost.Redacted(spec)}: {RunHost.OneLine(e.Message)}");
            return 1;
        }
        await using (store)
        {
            var now = TimeProvider.System.GetUtcNow();
            bool added;
            try
            {
                added = await store.TryAddInboxEventAsync(new InboxEvent { Id = id, Key = key, Payload = payload, ReceivedAt = now, ExpiresAt = now + ttl }, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await stderr.WriteLineAsync($"virtflow event: the store failed: {RunHost.OneLine(e.Message)}");
                return 1;
            }
            var waiting = (await store.FindBookmarksByKeyAsync(key, ct)).Select(b => b.InstanceId).Distinct(StringComparer.Ordinal).Count();
            await stdout.WriteLineAsync(added
                ? $"event {TerminalText.Safe(id)} queued for key {TerminalText.Safe(key)} ({waiting} instance{(waiting == 1 ? "" : "s")} waiting for it)"
                : $"event {TerminalText.Safe(id)} was already received: nothing queued");
            return 0;
        }
    }

    private static JsonNode? Payload(string data)
    {
        var text = DataArgument.Text(data);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new RunUsageException($"--data: not JSON: {e.Message}");
        }
    }

    private static TimeSpan Ttl(string text)
    {
        if (Engine.Definitions.Duration.TryParse(text, out var ttl) && ttl > TimeSpan.Zero) return ttl;
        throw new RunUsageException($"--ttl '{text}' is not a duration (30s, 5m, 1h, PT1H)");
    }
}
