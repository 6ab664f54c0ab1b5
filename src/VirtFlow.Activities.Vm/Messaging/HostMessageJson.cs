using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Activities.Vm.Messaging;

/// <summary>
/// How host messages travel through the engine: a <see cref="HostCommand"/> is an outbox payload (camelCase
/// JSON, <see cref="JsonSerializerDefaults.Web"/>) whose message type is the contract's class name; a
/// <see cref="HostEvent"/> is an engine event whose key says what waits for it (<see cref="EventKeys"/>).
/// Shared by the VM activities (sending side) and the transport bridge (receiving side).
/// </summary>
public static class HostMessageJson
{
    /// <summary>The serializer settings of every host message in the engine (camelCase, web defaults).</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The command types a VM activity sends, by message type (the contract's class name): <see cref="HostCommandTable"/>'s.</summary>
    public static FrozenDictionary<string, Type> CommandTypes { get; } =
        HostCommandTable.All.ToFrozenDictionary(k => k.Name, k => k.Command, StringComparer.Ordinal);

    /// <summary>The message type of a command: its contract class name (<c>MirrorDisks</c>).</summary>
    public static string MessageType(HostCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.GetType().Name;
    }

    /// <summary>The outbox payload of a command (its <c>commandId</c> and <c>hostId</c> are re-set by <see cref="FromPayload"/>).</summary>
    public static JsonObject ToPayload(HostCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return JsonSerializer.SerializeToNode(command, command.GetType(), Options)!.AsObject();
    }

    /// <summary>
    /// The command an outbox row holds. <paramref name="commandId"/> (the outbox id) and <paramref name="hostId"/>
    /// (its destination) replace whatever the payload says.
    /// </summary>
    /// <exception cref="NotSupportedException">An unknown message type.</exception>
    /// <exception cref="JsonException">A payload that does not fit the contract.</exception>
    public static HostCommand FromPayload(string messageType, JsonObject payload, string commandId, string hostId)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageType);
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentException.ThrowIfNullOrEmpty(commandId);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        if (!CommandTypes.TryGetValue(messageType, out var type))
            throw new NotSupportedException($"'{messageType}' is not a host command (known: {string.Join(", ", CommandTypes.Keys.Order(StringComparer.Ordinal))})");
        var body = (JsonObject)payload.DeepClone();
        body["commandId"] = commandId;
        body["hostId"] = hostId;
        return (HostCommand)(body.Deserialize(type, Options)
            ?? throw new JsonException($"the payload of {messageType} {commandId} is null"));
    }

    /// <summary>
    /// The engine event of a host event: its key (what bookmarks wait for) and its payload (the event as
    /// camelCase JSON). The event's id is <see cref="HostEvent.EventId"/>.
    /// </summary>
    public static (string Key, JsonObject Payload) ToEngineEvent(HostEvent hostEvent)
    {
        ArgumentNullException.ThrowIfNull(hostEvent);
        var key = hostEvent switch
        {
            CommandResult r => EventKeys.Reply(r.CommandId),
            JobStatusChanged j => EventKeys.Job(j.HostId, j.Vm, j.JobId),
            JobProgress p => EventKeys.Progress(p.HostId, p.Vm, p.JobId),
            VmGone g => EventKeys.VmGone(g.HostId, g.Vm),
            QuiesceLeaseExpired l => EventKeys.LeaseExpired(l.HostId, l.Vm, l.LeaseId),
            VmJobsSnapshot s => EventKeys.Snapshot(s.HostId, s.Vm),
            WorkerOnline or WorkerOffline => EventKeys.Worker(hostEvent.HostId),
            _ => throw new NotSupportedException($"no engine key for host event {hostEvent.GetType().Name}"),
        };
        return (key, JsonSerializer.SerializeToNode(hostEvent, hostEvent.GetType(), Options)!.AsObject());
    }

    /// <summary>The engine event of a host event, ready for <c>WorkflowEngine.PublishEventAsync</c> (its id is <see cref="HostEvent.EventId"/>).</summary>
    public static EventEnvelope ToEnvelope(HostEvent hostEvent)
    {
        var (key, payload) = ToEngineEvent(hostEvent);
        return new EventEnvelope(hostEvent.EventId, key, payload);
    }

    /// <summary>Reads an event payload back as its contract record (null when it does not fit).</summary>
    public static T? ReadEvent<T>(JsonNode? payload)
        where T : HostEvent
    {
        if (payload is not JsonObject) return null;
        try
        {
            return payload.Deserialize<T>(Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
