using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Cli.Commands;

/// <summary>How run and resume report a finished instance: one JSON document, or a summary line; and the exit code.</summary>
internal static class RunReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary><c>{id, workflow, status, outputs, fault, startedAt, endedAt}</c>; status in lower case, times ISO 8601 UTC.</summary>
    public static JsonObject Document(WorkflowInstance instance) => new()
    {
        ["id"] = instance.Id,
        ["workflow"] = instance.WorkflowName,
        ["status"] = Status(instance.Status),
        ["outputs"] = instance.Output?.DeepClone(),
        ["fault"] = instance.Fault,
        ["startedAt"] = Time(instance.CreatedAt),
        ["endedAt"] = instance.IsFinal ? Time(instance.UpdatedAt) : null,
    };

    public static string Json(JsonNode node) => node.ToJsonString(Indented);

    /// <summary>0 when completed; 1 when faulted, cancelled, or not finished.</summary>
    public static int ExitCode(WorkflowInstance instance) => instance.Status == InstanceStatus.Completed ? 0 : 1;

    public static string Status(InstanceStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>
    /// <c>completed: WORKFLOW ID in 1.2s</c> and <c>outputs: {...}</c> on stdout; <c>faulted: REASON</c> or
    /// <c>cancelled: REASON</c> on stderr.
    /// </summary>
    public static async Task WriteSummaryAsync(WorkflowInstance instance, TextWriter stdout, TextWriter stderr, bool showInstance = false)
    {
        var who = showInstance ? $"{instance.WorkflowName} {instance.Id}: " : "";
        switch (instance.Status)
        {
            case InstanceStatus.Completed:
                var took = (instance.UpdatedAt - instance.CreatedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
                await stdout.WriteLineAsync(showInstance
                    ? $"{who}completed in {took}s"
                    : $"completed: {instance.WorkflowName} {instance.Id} in {took}s");
                if (instance.Output is { Count: > 0 } outputs) await stdout.WriteLineAsync($"{(showInstance ? who : "")}outputs: {outputs.ToJsonString()}");
                break;
            case InstanceStatus.Faulted or InstanceStatus.Cancelled:
                await stderr.WriteLineAsync($"{who}{Status(instance.Status)}: {Reason(instance)}");
                break;
            default:
                await stderr.WriteLineAsync($"{who}{Status(instance.Status)}: not finished");
                break;
        }
    }

    /// <summary>Why it faulted or was cancelled, without a leading <c>cancelled: </c> the engine may have put there.</summary>
    public static string Reason(WorkflowInstance instance)
    {
        var fault = instance.Fault ?? "(no reason given)";
        var prefix = Status(instance.Status) + ": ";
        return fault.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? fault[prefix.Length..] : fault;
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
