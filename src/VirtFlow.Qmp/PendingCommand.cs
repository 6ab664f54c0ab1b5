using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>A command waiting for its reply; completed by the read loop, or failed on disconnect.</summary>
internal sealed class PendingCommand(string command) : TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously)
{
    public string Command { get; } = command;
}
