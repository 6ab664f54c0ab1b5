using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>A mirror's target image: created with the source's size, claimed exclusively and recorded, never overwritten.</summary>
internal sealed class MirrorTargets(WorkerContext context)
{
    /// <summary>
    /// Creates the target image with the source's virtual size, unless it is reused; never overwrites a non-empty file. A
    /// new file is claimed exclusively (it must not exist) and recorded as this worker's before the image is made, so a
    /// rollback deletes it and nothing else, also after a restart.
    /// </summary>
    public async Task PrepareAsync(string vm, MirrorStep step, long size, CancellationToken ct)
    {
        var plan = step.Plan;
        if (Directory.Exists(plan.Target)) throw CommandChecks.BadRequest($"VM {vm}: disk {plan.Device}: target {plan.Target} is a directory");
        var file = new FileInfo(plan.Target);
        if (file.Exists && !plan.Spec.Reuse && context.CreatedTargets.Find(vm, plan.JobId)?.Target == plan.Target)
        {
            // Left by an earlier attempt of this very mirror that stopped before its node was added: ours, made again.
            step.Created = true;
            await context.QemuImg.CreateAsync(vm, plan.Device, plan.Target, plan.Format, size, ct).ConfigureAwait(false);
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
            context.CreatedTargets.Add(new CreatedTarget(context.HostId, vm, plan.JobId, step.CommandId, plan.Target, context.Time.GetUtcNow()));
            try
            {
                new FileStream(plan.Target, FileMode.CreateNew, FileAccess.Write, FileShare.None).Dispose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                context.CreatedTargets.Remove(vm, plan.JobId);
                if (File.Exists(plan.Target)) throw TargetExists(vm, plan);
                throw new HostCommandException(HostErrorClasses.ImageCreateFailed, $"VM {vm}: disk {plan.Device}: cannot create {plan.Target}: {e.Message}", e);
            }
            step.Created = true;
        }
        await context.QemuImg.CreateAsync(vm, plan.Device, plan.Target, plan.Format, size, ct).ConfigureAwait(false);
    }

    public static HostCommandException TargetExists(string vm, MirrorPlan plan) => new(HostErrorClasses.TargetExists,
        $"VM {vm}: disk {plan.Device}: target {plan.Target} exists and is not empty; it is never overwritten (set reuse to mirror into it as it is)");
}
