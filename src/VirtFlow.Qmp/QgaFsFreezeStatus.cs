namespace VirtFlow.Qmp;

/// <summary>The guest's filesystem freeze state, as <c>guest-fsfreeze-status</c> reports it.</summary>
public enum QgaFsFreezeStatus
{
    /// <summary><c>"thawed"</c>: the guest's filesystems accept writes.</summary>
    Thawed,

    /// <summary><c>"frozen"</c>: writes block until <c>guest-fsfreeze-thaw</c>; the agent refuses most commands.</summary>
    Frozen,
}
