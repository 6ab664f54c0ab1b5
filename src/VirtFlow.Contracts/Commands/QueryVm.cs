namespace VirtFlow.Contracts;

/// <summary>Report what QEMU has: run state, block devices, jobs. Success carries a <see cref="QueryVmResult"/>.</summary>
public sealed record QueryVm : HostCommand;
