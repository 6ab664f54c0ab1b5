namespace VirtFlow.Contracts;

/// <summary>
/// Every VM the host's worker serves, with its disks as QEMU has them now (a VM whose QMP socket is not connected is
/// listed with <c>Connected: false</c> and no disks). A host-level command: <see cref="HostCommand.Vm"/> is not read
/// (senders put <c>*</c>). Success carries a <see cref="ListVmsResult"/>. Changes nothing.
/// </summary>
public sealed record ListVms : HostCommand;
