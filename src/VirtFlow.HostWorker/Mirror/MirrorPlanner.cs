using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>MirrorDisks' checks: every disk validated before anything is touched.</summary>
internal static class MirrorPlanner
{
    /// <summary>Checks every disk before anything is touched.</summary>
    public static List<MirrorPlan> Plan(StorageRoots roots, string vm, MirrorDisks command)
    {
        if (command.Disks is not { Count: > 0 }) throw CommandChecks.BadRequest($"VM {vm}: MirrorDisks names no disk");
        var plans = new List<MirrorPlan>(command.Disks.Count);
        foreach (var spec in command.Disks)
        {
            if (spec is null || string.IsNullOrWhiteSpace(spec.Device)) throw CommandChecks.BadRequest($"VM {vm}: MirrorDisks has a disk without a device");
            if (!JobNames.IsWellFormed(spec.JobId))
                throw CommandChecks.BadRequest($"VM {vm}: disk {spec.Device}: job id '{spec.JobId}' is not valid for QEMU (a letter, then letters, digits, '-', '.', '_')");
            var format = spec.Format?.Trim().ToLowerInvariant();
            if (format is not ("qcow2" or "raw"))
                throw new HostCommandException(HostErrorClasses.BadFormat, $"VM {vm}: disk {spec.Device}: target format '{spec.Format}' is not qcow2 or raw");
            var copyMode = string.IsNullOrEmpty(spec.CopyMode) ? MirrorCopyMode.Background : spec.CopyMode;
            if (copyMode is not (MirrorCopyMode.Background or MirrorCopyMode.WriteBlocking))
                throw CommandChecks.BadRequest($"VM {vm}: disk {spec.Device}: copy mode '{spec.CopyMode}' is not background or write-blocking");
            if (spec.Speed < 0) throw CommandChecks.BadRequest($"VM {vm}: disk {spec.Device}: speed {spec.Speed} is negative");
            var target = roots.Check(vm, spec.Device, spec.TargetPath);
            if (plans.Any(p => p.JobId == spec.JobId)) throw CommandChecks.BadRequest($"VM {vm}: job id {spec.JobId} is used for two disks");
            if (plans.Any(p => p.Device == spec.Device)) throw CommandChecks.BadRequest($"VM {vm}: disk {spec.Device} is listed twice");
            if (plans.Any(p => p.Target == target)) throw CommandChecks.BadRequest($"VM {vm}: disk {spec.Device}: target {target} is used for two disks");
            plans.Add(new MirrorPlan(spec, format, copyMode, target, JobNames.TargetNode(spec.JobId)));
        }
        return plans;
    }
}
