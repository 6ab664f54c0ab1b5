using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// Where a <see cref="HostWorker"/> sends its events and command results (a bus, a test list, the embedded engine).
/// Events are taken in call order: the worker hands a VM's job events over one after the other without waiting for
/// each to be delivered (so a slow or absent broker never delays reading QEMU), and relies on the sink keeping that order.
/// </summary>
public interface IHostEventSink
{
    /// <summary>Delivers <paramref name="e"/>; throws when it could not (the worker logs it, or a command's caller sees it).</summary>
    Task PublishAsync(HostEvent e, CancellationToken ct);
}
