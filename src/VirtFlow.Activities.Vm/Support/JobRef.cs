using System.Text.Json.Nodes;

namespace VirtFlow.Activities.Vm.Support;

/// <summary>
/// One mirror job as VM activities pass it on: <c>{ device, jobId, target, format, sourceNode, targetNode, copyMode }</c>
/// (the items of <c>vm.mirror</c>'s and <c>vm.waitReady</c>'s <c>jobs</c> output).
/// </summary>
internal sealed record JobRef(string JobId, string? Device, string? Target = null, string? Format = null, string? SourceNode = null, string? TargetNode = null, string? CopyMode = null)
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
    public static JobRef Parse(JsonNode? item, string input)
    {
        switch (item)
        {
            case JsonValue v when v.TryGetValue(out string? id) && id.Length > 0:
                return new JobRef(id, null);
            case JsonObject o when Text(o, "jobId") is { Length: > 0 } jobId:
                return new JobRef(jobId, Text(o, "device"), Text(o, "target") ?? Text(o, "targetPath"), Text(o, "format"), Text(o, "sourceNode"), Text(o, "targetNode"), Text(o, "copyMode"));
            default:
                throw new VmInputException($"input '{input}': each item must be a job id or an object with a jobId (the jobs output of vm.mirror), not {item?.ToJsonString() ?? "null"}");
        }
    }

    /// <summary>The <c>jobs</c> input as a list (duplicates removed, order kept).</summary>
    public static List<JobRef> ParseAll(JsonArray? items, string input)
    {
        var jobs = new List<JobRef>();
        foreach (var item in items ?? [])
        {
            var job = Parse(item, input);
            if (!jobs.Exists(j => j.JobId == job.JobId)) jobs.Add(job);
        }
        return jobs;
    }

    public static List<JobRef> FromState(JsonNode? node) =>
        node is JsonArray a ? a.Select(i => Parse(i, "state")).ToList() : [];

    public static JsonArray ToJson(IEnumerable<JobRef> jobs) => new(jobs.Select(j => (JsonNode?)j.ToJson()).ToArray());

    private static string? Text(JsonObject o, string name) => o[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
