using System.Text.Json;
using System.Text.Json.Nodes;
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
    private const string Usage =
        "usage: virtflow event [--store SPEC] (--key KEY | --name NAME [--correlation C]) [--data JSON] [--id ID] [--ttl DURATION]\n" +
        "  queues an event in the store's inbox; an engine running on the store delivers it to the instances waiting for KEY\n" +
        RunStore.Help + "\n" +
        "  --key KEY             the event's key as bookmarks wait for it (e.g. reply:COMMANDID)\n" +
        "  --name NAME           a waitEvent's event name: the key is event:NAME:C (event:NAME without --correlation)\n" +
        "  --correlation C       the waitEvent's correlation\n" +
        "  --data JSON           the payload (JSON; @FILE reads it from a file); default none\n" +
        "  --id ID               the event's id (the same id twice is one event); default a fresh one\n" +
        "  --ttl DURATION        how long it is kept while nobody waits for it (30s, 5m, 1h); default 1h\n" +
        "  exit code: 0 queued (or already received), 2 bad usage, 1 the store failed";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? store = null, key = null, name = null, correlation = null, data = null, id = null, ttlText = null;
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                var arg = args[i];
                string Value() => i + 1 < args.Length ? args[++i] : throw new RunUsageException($"{arg} needs a value");
                switch (arg)
                {
                    case "-h" or "--help":
                        await stdout.WriteLineAsync(Usage);
                        return 0;
                    case "--store": store = Value(); break;
                    case "--key": key = Value(); break;
                    case "--name": name = Value(); break;
                    case "--correlation": correlation = Value(); break;
                    case "--data": data = Value(); break;
                    case "--id": id = Value(); break;
                    case "--ttl": ttlText = Value(); break;
                    default: throw new RunUsageException(arg.StartsWith('-') ? $"unknown option '{arg}'" : $"unexpected argument '{arg}'");
                }
            }
            if (key is not null && name is not null) throw new RunUsageException("give either --key or --name, not both");
            if (key is null && name is null) throw new RunUsageException("no event: give --key KEY or --name NAME [--correlation C]");
            if (correlation is not null && name is null) throw new RunUsageException("--correlation goes with --name");
            if (key is { Length: 0 } || name is { Length: 0 }) throw new RunUsageException("the event's key or name is empty");
            if (id is { Length: 0 }) throw new RunUsageException("--id needs a non-empty id");
            key ??= WaitEventActivity.KeyFor(name!, correlation);
            var payload = data is null ? null : Payload(data);
            var ttl = ttlText is null ? new WorkflowEngineOptions().InboxEventTtl : Ttl(ttlText);
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
