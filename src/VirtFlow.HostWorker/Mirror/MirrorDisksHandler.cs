using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>MirrorDisks: validate everything, then per disk: image, node, job; any failure undoes them all.</summary>
internal sealed class MirrorDisksHandler(WorkerContext context) : HostCommandHandler<MirrorDisks, MirrorDisksResult>
{
    private readonly MirrorTargets _targets = new(context);
    private readonly MirrorRollback _rollback = new(context);

    protected override async Task<MirrorDisksResult?> HandleAsync(VmSession session, MirrorDisks command, CancellationToken ct)
    {
        var plans = MirrorPlanner.Plan(context.Roots, session.Name, command);
        using var held = await session.LockJobsAsync(ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var steps = new List<MirrorStep>(plans.Count);
        try
        {
            foreach (var plan in plans)
            {
                var step = new MirrorStep(plan) { CommandId = command.CommandId };
                steps.Add(step);
                await StartAsync(session, client, view, step, ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is HostCommandException or QmpException or OperationCanceledException)
        {
            var failed = steps[^1].Plan;
            var undone = await _rollback.RollBackAsync(session, client, steps).ConfigureAwait(false);
            if (e is OperationCanceledException) throw;
            var (errorClass, message) = e switch
            {
                HostCommandException h => (h.ErrorClass, h.Message),
                QmpException q => (q.ErrorClass, $"VM {session.Name}: disk {failed.Device}: {q.Message}"),
                _ => ("InternalError", e.Message),
            };
            var files = undone.DeletedFiles.Count == 0 ? "no file created" : "removed " + string.Join(", ", undone.DeletedFiles);
            var summary = undone.Problems.Count == 0
                ? $"nothing was left (cancelled {undone.CancelledJobs.Count} job(s), removed {undone.RemovedNodes.Count} node(s), {files})"
                : "rollback incomplete: " + string.Join("; ", undone.Problems);
            throw new HostCommandException(errorClass, $"{message}; {summary}", e) { ResultJson = HostResultJson.Serialize(undone) };
        }

        var jobs = await client.QueryJobsAsync(null, ct).ConfigureAwait(false);
        var disks = new List<MirroredDisk>(steps.Count);
        foreach (var step in steps)
        {
            var plan = step.Plan;
            var created = step.Created || step.WasEmpty || session.MirrorOf(plan.JobId)?.Created == true
                || context.CreatedTargets.Find(session.Name, plan.JobId)?.Target == plan.Target;
            session.RecordMirror(new MirrorRecord(plan.JobId, plan.Device, step.SourceNode, plan.TargetNode, plan.Target, plan.Format, created, plan.Spec.Speed),
                keepKnown: step.Existing);
            var status = jobs.FirstOrDefault(j => j.Id == plan.JobId)?.Status ?? step.Status;
            disks.Add(new MirroredDisk(plan.Device, step.SourceNode, plan.TargetNode, plan.JobId, plan.Target, plan.Format, created, step.Existing, status));
        }
        return new MirrorDisksResult(disks);
    }

    private async Task StartAsync(VmSession session, IQmpClient client, BlockView view, MirrorStep step, CancellationToken ct)
    {
        var plan = step.Plan;
        var vm = session.Name;
        var node = view.Node(plan.TargetNode);
        if (view.Job(plan.JobId) is { } job)
        {
            // docs/rules.md#r2-command-ids: the same mirror asked again (a redelivery, or a restarted worker) is a success, not a second job.
            if (node is null || !RealPath.IsSame(node.File, plan.Target))
                throw new HostCommandException(HostErrorClasses.JobConflict, $"VM {vm}: disk {plan.Device}: job {plan.JobId} already exists " +
                    (node is null ? $"without its target node {plan.TargetNode}" : $"with target {node.File}, not {plan.Target}"));
            step.Existing = true;
            step.Status = job.Status;
            step.SourceNode = session.MirrorOf(plan.JobId) is { } known ? known.SourceNode : view.Device(plan.Device)?.Inserted?.NodeName;
            if (step.SourceNode == plan.TargetNode) step.SourceNode = null;
            return;
        }
        var (sourceNode, size) = ResolveSource(vm, view, plan.Device);
        if (sourceNode == plan.TargetNode && node is not null && RealPath.IsSame(node.File, plan.Target))
        {
            // Mirrored, switched and dismissed before: the device already uses this target.
            step.Existing = true;
            step.SourceNode = session.MirrorOf(plan.JobId) is { } known ? known.SourceNode : null;
            return;
        }
        if (node is not null)
        {
            if (!RealPath.IsSame(node.File, plan.Target))
                throw new HostCommandException(HostErrorClasses.JobConflict, $"VM {vm}: disk {plan.Device}: node {plan.TargetNode} (of job {plan.JobId}) already holds {node.File}");
            step.NodeReused = true; // added by an interrupted earlier attempt of this mirror: its image is this target
        }
        else
        {
            await _targets.PrepareAsync(vm, step, size, ct).ConfigureAwait(false);
            await client.BlockdevAddAsync(new JsonObject
            {
                ["driver"] = plan.Format,
                ["node-name"] = plan.TargetNode,
                ["file"] = new JsonObject { ["driver"] = "file", ["filename"] = plan.Target },
            }, null, ct).ConfigureAwait(false);
            step.NodeAdded = true;
        }
        await client.BlockdevMirrorAsync(new MirrorRequest(plan.JobId, sourceNode, plan.TargetNode)
        {
            AutoFinalize = false,
            AutoDismiss = false,
            Speed = plan.Spec.Speed > 0 ? plan.Spec.Speed : null,
            CopyMode = plan.CopyMode,
        }, null, ct).ConfigureAwait(false);
        step.JobStarted = true;
        step.SourceNode = sourceNode;
        step.Status = JobStatus.Created;
        Log.MirrorStarted(context.Logger, vm, plan.Device, sourceNode, plan.Target, plan.JobId);
    }

    /// <summary>The node a disk uses and its virtual size: a device id (<c>vda</c>) first, else a node name.</summary>
    private static (string Node, long Size) ResolveSource(string vm, BlockView view, string device)
    {
        string node;
        long? size;
        if (view.Device(device) is { } block)
        {
            if (block.Inserted is not { } inserted) throw new HostCommandException(HostErrorClasses.DiskNotFound, $"VM {vm}: disk {device} has no medium");
            node = inserted.NodeName;
            size = inserted.Image?.VirtualSize ?? view.Node(node)?.Image?.VirtualSize;
        }
        else if (view.Node(device) is { } named)
        {
            node = named.NodeName;
            size = named.Image?.VirtualSize;
        }
        else
        {
            var devices = string.Join(", ", view.Blocks.Select(BlockView.DeviceName));
            throw new HostCommandException(HostErrorClasses.DiskNotFound, $"VM {vm}: disk {device} not found (devices: {devices}; or name a block node)");
        }
        return (node, size ?? throw new HostCommandException(HostErrorClasses.DiskNotFound, $"VM {vm}: disk {device}: QEMU reports no size for node {node}"));
    }
}
