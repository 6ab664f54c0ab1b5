using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Preflight;

/// <summary>
/// Asks a host's worker one <see cref="InspectVm"/> now (over the bus, not through the outbox: a dry run stores nothing)
/// and waits for its <see cref="CommandResult"/>. In the server this is the live question to a worker that
/// <c>GET /api/hosts/{id}/vms/{vm}</c> uses too.
/// </summary>
public interface IVmInspector
{
    /// <summary>The worker's result, or null when none came within <paramref name="timeout"/>.</summary>
    Task<CommandResult?> InspectAsync(InspectVm command, TimeSpan timeout, CancellationToken ct);
}
