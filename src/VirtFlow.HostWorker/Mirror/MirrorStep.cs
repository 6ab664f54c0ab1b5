using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>One disk of a <see cref="MirrorDisks"/>, validated: format, copy mode and target path checked, target node named.</summary>
internal sealed record MirrorPlan(DiskMirrorSpec Spec, string Format, string CopyMode, string Target, string TargetNode)
{
    public string Device => Spec.Device;
    public string JobId => Spec.JobId;
}

/// <summary>What starting one disk's mirror did so far: exactly what a rollback must undo.</summary>
internal sealed class MirrorStep(MirrorPlan plan)
{
    public MirrorPlan Plan { get; } = plan;

    /// <summary>The MirrorDisks command this step belongs to (recorded with a target it creates).</summary>
    public string CommandId { get; init; } = "";
    public string? SourceNode { get; set; }

    /// <summary>The job already existed with this target (a repeated command): nothing was started.</summary>
    public bool Existing { get; set; }

    /// <summary>The image file did not exist and this command created it.</summary>
    public bool Created { get; set; }

    /// <summary>The image file existed empty and this command formatted it.</summary>
    public bool WasEmpty { get; set; }

    /// <summary>This command added the target node.</summary>
    public bool NodeAdded { get; set; }

    /// <summary>The target node was there already, holding this target (left by an interrupted earlier attempt).</summary>
    public bool NodeReused { get; set; }

    public bool JobStarted { get; set; }
    public string Status { get; set; } = VirtFlow.Qmp.JobStatus.Null;
}
