using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>Runs one type of <see cref="HostCommand"/> on one VM; failures are <see cref="HostCommandException"/>s (or QMP's).</summary>
internal interface IHostCommandHandler
{
    /// <summary>The command type handled.</summary>
    Type CommandType { get; }

    /// <summary>The type of its result (the command's in <see cref="HostCommandTable"/>).</summary>
    Type ResultType { get; }

    /// <summary>Runs <paramref name="command"/> (of <see cref="CommandType"/>) on <paramref name="session"/>; returns the result JSON, if any.</summary>
    Task<string?> HandleAsync(VmSession session, HostCommand command, CancellationToken ct);
}
