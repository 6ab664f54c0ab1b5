using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>Where a <see cref="HostWorker"/> sends its events and command results (a bus, a test list, the embedded engine).</summary>
public interface IHostEventSink
{
    /// <summary>Delivers <paramref name="e"/>; throws when it could not (the worker logs it, or a command's caller sees it).</summary>
    Task PublishAsync(HostEvent e, CancellationToken ct);
}
