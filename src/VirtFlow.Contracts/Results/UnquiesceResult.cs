namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="UnquiesceVm"/>.</summary>
/// <param name="LeaseId">The lease released, or the one asked for.</param>
/// <param name="Released">True when this command released a held lease; false when none was held (already released or run out).</param>
/// <param name="Method">How the guest had been quiesced, when a lease was released.</param>
/// <param name="ThawedFilesystems">Filesystems thawed.</param>
/// <param name="Resumed">True when the VM was resumed (it was running before the quiesce).</param>
/// <param name="RunState">QEMU's run state after the command.</param>
public sealed record UnquiesceResult(string? LeaseId, bool Released, string? Method, int ThawedFilesystems, bool Resumed, string? RunState);
