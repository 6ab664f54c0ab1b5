namespace VirtFlow.Qmp;

/// <summary>The reply of <c>query-status</c>.</summary>
/// <param name="Running">True when the vCPUs run.</param>
/// <param name="Status">QEMU's run state, e.g. <c>prelaunch</c>, <c>running</c>, <c>paused</c>.</param>
public sealed record VmStatus(bool Running, string Status);
