using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Mirror;

/// <summary>The <c>disks</c> input of vm.mirror, checked, with a deterministic job id per disk.</summary>
internal sealed record DiskSpecs(JobRef Job, bool Reuse)
{
    public static List<DiskSpecs> Parse(JsonArray? items, ActivityContext context, string copyMode)
    {
        if (items is null || items.Count == 0) throw new VmInputException("input 'disks' needs at least one disk ({ device, target, format })");
        var result = new List<DiskSpecs>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject o)
                throw new VmInputException($"input 'disks': item {i + 1} must be an object {{ device, target, format }}, not {items[i]?.ToJsonString() ?? "null"}");
            var device = Required(o, "device", i);
            var target = Required(o, "target", i);
            var format = VmInputs.StringOf(o["format"], $"disks[{i}].format") ?? "qcow2";
            if (format is not ("qcow2" or "raw"))
                throw new VmInputException($"input 'disks': the format of {device} must be qcow2 or raw, not '{format}'");
            var reuse = VmInputs.BooleanOf(o["reuse"], $"disks[{i}].reuse") ?? false;
            if (result.Exists(d => d.Job.Device == device))
                throw new VmInputException($"input 'disks': {device} is listed twice");
            if (result.Find(d => d.Job.Target == target) is { } clash)
                throw new VmInputException($"input 'disks': {clash.Job.Device} and {device} have the same target {target}");
            var jobId = JobIds.For(context.InstanceId, context.StepPath, context.Attempt, device);
            if (result.Exists(d => d.Job.JobId == jobId)) jobId += $"-{i + 1}";
            result.Add(new DiskSpecs(new JobRef(jobId, device, target, format, CopyMode: copyMode), reuse));
        }
        return result;
    }

    private static string Required(JsonObject o, string name, int index) =>
        VmInputs.StringOf(o[name], $"disks[{index}].{name}") is { Length: > 0 } s
            ? s
            : throw new VmInputException($"input 'disks': item {index + 1} has no '{name}'");
}
