using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Client;

/// <summary>
/// One item of the live stream (<c>GET /api/stream</c>, <c>GET /api/instances/{id}/stream</c>): a line of an instance's
/// journal with its sequence number. Kinds: <c>InstanceStarted</c>, <c>InstanceCompleted|Faulted|Cancelled</c> (status
/// changes), <c>StepStarted|Completed|Faulted|Suspended|Cancelled</c>, <c>Progress</c> (<c>{device, offset, length}</c> per
/// disk) and the activities' own lines (<c>MirrorReady</c>, <c>Pivoted</c>, <c>MirrorsCancelled</c>, <c>Log</c>, ...).
/// </summary>
public sealed record LiveEvent
{
    /// <summary>The store's journal sequence: the resume point (<c>Last-Event-ID</c>). 0 for an event not from the journal.</summary>
    [JsonPropertyName("seq")]
    public long Seq { get; init; }

    [JsonPropertyName("instanceId")]
    public required string InstanceId { get; init; }

    [JsonPropertyName("at")]
    public DateTimeOffset At { get; init; }

    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    /// <summary>The step's execution path (<c>move/mirror</c>, <c>loop[3]/copy</c>), null for the instance.</summary>
    [JsonPropertyName("step")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Step { get; init; }

    [JsonPropertyName("message")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonPropertyName("data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonNode? Data { get; init; }

    /// <summary>The step's id: the last segment of <see cref="Step"/> without its <c>[n]</c>.</summary>
    [JsonIgnore]
    public string? StepId => Step is null ? null : IdOf(Step);

    /// <summary>The stream item for a journal entry.</summary>
    public static LiveEvent From(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new LiveEvent
        {
            Seq = entry.Sequence,
            InstanceId = entry.InstanceId,
            At = entry.At,
            Kind = entry.Kind,
            Step = entry.StepPath,
            Message = entry.Message,
            Data = entry.Data,
        };
    }

    private static string IdOf(string path)
    {
        var last = path[(path.LastIndexOf('/') + 1)..];
        var bracket = last.IndexOf('[', StringComparison.Ordinal);
        return bracket > 0 ? last[..bracket] : last;
    }
}
