using VirtFlow.Activities.Vm.Support;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Mirror;

/// <summary>The <c>disks</c> input of vm.mirror, checked as a whole, with a deterministic job id per disk.</summary>
internal sealed record DiskSpecs(JobRef Job, bool Reuse)
{
    public static List<DiskSpecs> Of(IReadOnlyList<DiskInput> disks, ActivityContext context, string copyMode)
    {
        if (disks.Count == 0) throw new VmInputException("input 'disks' needs at least one disk ({ device, target, format })");
        var result = new List<DiskSpecs>();
        for (var i = 0; i < disks.Count; i++)
        {
            var (device, target, format, reuse) = disks[i];
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
}
