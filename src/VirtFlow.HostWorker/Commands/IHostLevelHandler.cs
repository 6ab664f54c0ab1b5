using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>A handler of a command about the host rather than one VM (<see cref="ListVms"/>, <see cref="PruneCopies"/>): it runs without a VM session.</summary>
internal interface IHostLevelHandler
{
    /// <summary>Runs <paramref name="command"/> with every session of the worker at hand; returns the result JSON, if any.</summary>
    Task<string?> HandleHostAsync(IReadOnlyDictionary<string, VmSession> sessions, HostCommand command, CancellationToken ct);
}
