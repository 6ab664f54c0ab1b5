using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// MirrorDisks' checks: every disk validated before anything is touched; target images created, never overwritten.
public sealed partial class HostWorker
{
    /// <summary>Checks every disk before anything is touched.</summary>
    private List<MirrorPlan> PlanMirrors(string vm, MirrorDisks command)
    {
        if (command.Disks is not { Count: > 0 }) throw BadRequest($"VM {vm}: MirrorDisks names no disk");
        var plans = new List<MirrorPlan>(command.Disks.Count);
        foreach (var spec in command.Disks)
        {
            if (spec is null || string.IsNullOrWhiteSpace(spec.Device)) throw BadRequest($"VM {vm}: MirrorDisks has a disk without a device");
            if (!JobNames.IsWellFormed(spec.JobId))
                throw BadRequest($"VM {vm}: disk {spec.Device}: job id '{spec.JobId}' is not valid for QEMU (a letter, then letters, digits, '-', '.', '_')");
            var format = spec.Format?.Trim().ToLowerInvariant();
            if (format is not ("qcow2" or "raw"))
                throw new HostCommandException(HostErrorClasses.BadFormat, $"VM {vm}: disk {spec.Device}: target format '{spec.Format}' is not qcow2 or raw");
            var copyMode = string.IsNullOrEmpty(spec.CopyMode) ? MirrorCopyMode.Background : spec.CopyMode;
            if (copyMode is not (MirrorCopyMode.Background or MirrorCopyMode.WriteBlocking))
                throw BadRequest($"VM {vm}: disk {spec.Device}: copy mode '{spec.CopyMode}' is not background or write-blocking");
            if (spec.Speed < 0) throw BadRequest($"VM {vm}: disk {spec.Device}: speed {spec.Speed} is negative");
            var target = _roots.Check(vm, spec.Device, spec.TargetPath);
            if (plans.Any(p => p.JobId == spec.JobId)) throw BadRequest($"VM {vm}: job id {spec.JobId} is used for two disks");
            if (plans.Any(p => p.Device == spec.Device)) throw BadRequest($"VM {vm}: disk {spec.Device} is listed twice");
            if (plans.Any(p => p.Target == target)) throw BadRequest($"VM {vm}: disk {spec.Device}: target {target} is used for two disks");
            plans.Add(new MirrorPlan(spec, format, copyMode, target, JobNames.TargetNode(spec.JobId)));
        }
        return plans;
    }

    /// <summary>
    /// Creates the target image with the source's virtual size, unless it is reused; never overwrites a non-empty file. A
    /// new file is claimed exclusively (it must not exist) and recorded as this worker's before the image is made, so a
    /// rollback deletes it and nothing else, also after a restart.
    /// </summary>
    private async Task PrepareTargetAsync(string vm, MirrorStep step, long size, CancellationToken ct)
    {
        var plan = step.Plan;
        if (Directory.Exists(plan.Target)) throw BadRequest($"VM {vm}: disk {plan.Device}: target {plan.Target} is a directory");
        var file = new FileInfo(plan.Target);
        if (file.Exists && !plan.Spec.Reuse && _createdTargets.Find(vm, plan.JobId)?.Target == plan.Target)
        {
            // Left by an earlier attempt of this very mirror that stopped before its node was added: ours, made again.
            step.Created = true;
            await _qemuImg.CreateAsync(vm, plan.Device, plan.Target, plan.Format, size, ct).ConfigureAwait(false);
            return;
        }
        if (file.Exists && file.Length > 0)
        {
            if (plan.Spec.Reuse) return;
            throw TargetExists(vm, plan);
        }
        if (plan.Spec.Reuse && !file.Exists)
            throw new HostCommandException(HostErrorClasses.TargetMissing, $"VM {vm}: disk {plan.Device}: target {plan.Target} does not exist, but reuse was asked");
        if (file.Exists)
        {
            step.WasEmpty = true;
        }
        else
        {
            _createdTargets.Add(new CreatedTarget(HostId, vm, plan.JobId, step.CommandId, plan.Target, _time.GetUtcNow()));
            try
            {
                new FileStream(plan.Target, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _createdTargets.Remove(vm, plan.JobId);
                if (File.Exists(plan.Target)) throw TargetExists(vm, plan);
                throw new HostCommandException(HostErrorClasses.ImageCreateFailed, $"VM {vm}: disk {plan.Device}: cannot create {plan.Target}: {e.Message}", e);
            }
            step.Created = true;
        }
        await _qemuImg.CreateAsync(vm, plan.Device, plan.Target, plan.Format, size, ct).ConfigureAwait(false);
    }

    private static HostCommandException TargetExists(string vm, MirrorPlan plan) => new(HostErrorClasses.TargetExists,
        $"VM {vm}: disk {plan.Device}: target {plan.Target} exists and is not empty; it is never overwritten (set reuse to mirror into it as it is)");

    private static bool SameFile(string? nodeFile, string target)
    {
        if (string.IsNullOrEmpty(nodeFile)) return false;
        try
        {
            return RealPath.Resolve(nodeFile) == target;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return nodeFile == target;
        }
    }
}
