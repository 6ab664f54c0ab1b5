using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Cli.Commands;

/// <summary>How run, resume and start report a finished instance: one JSON document, or a summary line; and the exit code.</summary>
internal static class RunReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary><c>{id, workflow, status, outputs, fault, startedAt, endedAt}</c>; status in lower case, times ISO 8601 UTC.</summary>
    public static JsonObject Document(WorkflowInstance instance) => Document(RunOutcome.From(instance));

    /// <inheritdoc cref="Document(WorkflowInstance)"/>
    public static JsonObject Document(RunOutcome outcome) => new()
    {
        ["id"] = outcome.Id,
        ["workflow"] = outcome.Workflow,
        ["status"] = Status(outcome.Status),
        ["outputs"] = outcome.Outputs?.DeepClone(),
        ["fault"] = outcome.Fault,
        ["startedAt"] = Time(outcome.StartedAt),
        ["endedAt"] = outcome.EndedAt is { } ended ? Time(ended) : null,
    };

    /// <summary>The JSON text of a document (the default encoder escapes control and non-ASCII characters).</summary>
    public static string Json(JsonNode node) => node.ToJsonString(Indented);

    /// <summary>0 when completed; 1 when faulted, cancelled, or not finished.</summary>
    public static int ExitCode(WorkflowInstance instance) => ExitCode(RunOutcome.From(instance));

    /// <inheritdoc cref="ExitCode(WorkflowInstance)"/>
    public static int ExitCode(RunOutcome outcome) => outcome.Status == InstanceStatus.Completed ? 0 : 1;

    public static string Status(InstanceStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>completed: WORKFLOW ID in 1.2s</c> and <c>outputs: {...}</c> on stdout; <c>faulted: REASON</c> or
    /// <c>cancelled: REASON</c> on stderr; names and reasons made safe for a terminal (<see cref="TerminalText.Safe"/>), the
    /// outputs as JSON (control characters escaped).
    /// </summary>
    public static Task WriteSummaryAsync(WorkflowInstance instance, TextWriter stdout, TextWriter stderr, bool showInstance = false) =>
        WriteSummaryAsync(RunOutcome.From(instance), stdout, stderr, showInstance);

    /// <inheritdoc cref="WriteSummaryAsync(WorkflowInstance, TextWriter, TextWriter, bool)"/>
    public static async Task WriteSummaryAsync(RunOutcome outcome, TextWriter stdout, TextWriter stderr, bool showInstance = false)
    {
        var who = showInstance ? $"{TerminalText.Safe(outcome.Workflow)} {TerminalText.Safe(outcome.Id)}: " : "";
        switch (outcome.Status)
        {
            case InstanceStatus.Completed:
                var took = ((outcome.EndedAt ?? outcome.StartedAt) - outcome.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                await stdout.WriteLineAsync(showInstance
                    ? $"{who}completed in {took}s"
                    : $"completed: {TerminalText.Safe(outcome.Workflow)} {TerminalText.Safe(outcome.Id)} in {took}s");
                if (outcome.Outputs is { Count: > 0 } outputs) await stdout.WriteLineAsync($"{(showInstance ? who : "")}outputs: {outputs.ToJsonString()}");
                break;
            case InstanceStatus.Faulted or InstanceStatus.Cancelled:
                await stderr.WriteLineAsync($"{who}{Status(outcome.Status)}: {TerminalText.Safe(Reason(outcome), TerminalText.LongMaxLength)}");
                break;
            default:
                await stderr.WriteLineAsync($"{who}{Status(outcome.Status)}: not finished");
                break;
        }
    }

    /// <summary>Why it faulted or was cancelled, without a leading <c>cancelled: </c> the engine may have put there.</summary>
    public static string Reason(WorkflowInstance instance) => Reason(RunOutcome.From(instance));

    /// <inheritdoc cref="Reason(WorkflowInstance)"/>
    public static string Reason(RunOutcome outcome)
    {
        var fault = outcome.Fault ?? "(no reason given)";
        var prefix = Status(outcome.Status) + ": ";
        return fault.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? fault[prefix.Length..] : fault;
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
