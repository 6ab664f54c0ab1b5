using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Preflight;

/// <summary>
/// The embedded <see cref="IVmInspector"/> (<c>virtflow plan FILE</c>): the worker in this process answers the
/// <see cref="InspectVm"/> directly, no bus between.
/// </summary>
public sealed class WorkerVmInspector(VirtFlow.HostWorker.HostWorker worker) : IVmInspector
{
    public async Task<CommandResult?> InspectAsync(InspectVm command, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await worker.HandleAsync(command, ct).WaitAsync(timeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
