using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Core;
using VirtFlow.Engine.Activities.InputRecords;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>
/// One mirror job as VM activities pass it on: <c>{ device, jobId, target, format, sourceNode, targetNode, copyMode }</c>
/// (the items of <c>vm.mirror</c>'s and <c>vm.waitReady</c>'s <c>jobs</c> output).
/// </summary>
internal sealed record JobRef(string JobId, string? Device, string? Target = null, string? Format = null, string? SourceNode = null, string? TargetNode = null, string? CopyMode = null)
    : IInputValue<JobRef>
{
    /// <summary>The device when known, else the job id: how a message names the disk.</summary>
    public string Name => Device ?? JobId;

    public JsonObject ToJson() => new()
    {
        ["device"] = Device,
        ["jobId"] = JobId,
        ["target"] = Target,
        ["format"] = Format,
        ["sourceNode"] = SourceNode,
        ["targetNode"] = TargetNode,
        ["copyMode"] = CopyMode,
    };

    /// <summary>An item of a <c>jobs</c> input: a job id, or an object with <c>jobId</c> (the outputs of vm.mirror or vm.waitReady).</summary>
    public static JobRef Read(JsonNode node, InputPath path) => TryParse(node)
        ?? throw new VmInputException($"{path} must be a job id or an object with a jobId (the jobs output of vm.mirror), not {node.ToJsonString()}");

    /// <summary>The schema of an item of a <c>jobs</c> input.</summary>
    public static JsonObject Schema() => CommonInputs.JobItemSchema();

    /// <summary>A <c>jobs</c> input as a list: duplicates removed, order kept.</summary>
    public static List<JobRef> Distinct(IEnumerable<JobRef> jobs) => [.. jobs.DistinctBy(j => j.JobId, StringComparer.Ordinal)];

    /// <summary>The jobs an activity saved in its state.</summary>
    public static List<JobRef> FromState(JsonNode? node) => node is JsonArray a ? [.. a.Select(OneFromState)] : [];

    /// <summary>A job an activity saved in its state.</summary>
    public static JobRef OneFromState(JsonNode? item) =>
        TryParse(item) ?? throw new VmInputException($"the activity's state holds something that is not a job: {item?.ToJsonString() ?? "null"}");

    private static JobRef? TryParse(JsonNode? item) => item switch
    {
        JsonValue v when v.TryGetValue(out string? id) && id.Length > 0 => new JobRef(id, null),
        JsonObject o when Text(o, "jobId") is { Length: > 0 } jobId =>
            new JobRef(jobId, Text(o, "device"), Text(o, "target") ?? Text(o, "targetPath"), Text(o, "format"), Text(o, "sourceNode"), Text(o, "targetNode"), Text(o, "copyMode")),
        _ => null,
    };

    public static JsonArray ToJson(IEnumerable<JobRef> jobs) => new(jobs.Select(j => (JsonNode?)j.ToJson()).ToArray());

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
