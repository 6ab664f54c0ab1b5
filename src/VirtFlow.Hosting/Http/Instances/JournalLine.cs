using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>One line of an instance's journal.</summary>
public sealed record JournalLine(long Sequence, DateTimeOffset At, string? StepPath, string Kind, string? Message, JsonNode? Data)
{
    internal static JournalLine From(JournalEntry e) => new(e.Sequence, e.At, e.StepPath, e.Kind, e.Message, e.Data);
}

/// <summary>A page of the journal in order; pass <see cref="Next"/> as <c>after</c> for the lines that follow (null: none yet).</summary>
public sealed record JournalPage(IReadOnlyList<JournalLine> Items, long? Next);

/// <summary>The body of <c>POST /api/instances/{id}/cancel</c> (optional).</summary>
public sealed record CancelInstanceRequest(string? Reason);

/// <summary>The instance after a cancel request: cancelled, or still running its finally blocks.</summary>
public sealed record CancelInstanceResponse(string Id, InstanceStatus Status);
