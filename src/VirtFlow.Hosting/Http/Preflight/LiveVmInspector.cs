using VirtFlow.Contracts;
using VirtFlow.Hosting.Http.Hosts;
using VirtFlow.Hosting.Preflight;

namespace VirtFlow.Hosting.Http.Preflight;

/// <summary>
/// The server's <see cref="IVmInspector"/>: the preflight's <see cref="InspectVm"/> goes to the host's worker over the bus
/// as <c>GET /api/hosts/{id}/vms/{vm}</c>'s does (<see cref="LiveHosts"/>), expiring on the host's queue after the timeout.
/// </summary>
public sealed class LiveVmInspector(LiveHosts live) : IVmInspector
{
    public Task<CommandResult?> InspectAsync(InspectVm command, TimeSpan timeout, CancellationToken ct) => live.AskAsync(command, timeout, ct);
}
