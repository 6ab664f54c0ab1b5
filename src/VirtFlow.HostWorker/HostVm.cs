namespace VirtFlow.HostWorker;

/// <summary>A VM the worker serves.</summary>
/// <param name="Name">The name commands use (<see cref="VirtFlow.Contracts.HostCommand.Vm"/>).</param>
/// <param name="QmpSocket">Its QMP monitor: <c>PATH</c>, <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>. The worker holds this monitor.</param>
/// <param name="QgaSocket">The host side of its guest agent's channel (a QEMU chardev socket), or null when it has none.</param>
public sealed record HostVm(string Name, string QmpSocket, string? QgaSocket = null);
