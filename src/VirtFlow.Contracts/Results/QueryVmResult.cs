namespace VirtFlow.Contracts;

/// <summary>The result of <see cref="QueryVm"/>.</summary>
/// <param name="RunState">QEMU's run state (<c>running</c>, <c>paused</c>, <c>prelaunch</c>, ...).</param>
/// <param name="Running">True when the vCPUs run.</param>
/// <param name="Devices">Each block device and the node it uses.</param>
/// <param name="Jobs">Every job, concluded ones included until dismissed.</param>
/// <param name="LeaseId">The quiesce lease held, if any.</param>
public sealed record QueryVmResult(string RunState, bool Running, IReadOnlyList<BlockDeviceSnapshot> Devices, IReadOnlyList<JobSnapshot> Jobs, string? LeaseId);
