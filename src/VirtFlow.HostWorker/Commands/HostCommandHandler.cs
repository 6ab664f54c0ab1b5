using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>The handler of commands of type <typeparamref name="TCommand"/>.</summary>
internal abstract class HostCommandHandler<TCommand> : IHostCommandHandler where TCommand : HostCommand
{
    public Type CommandType => typeof(TCommand);

    public Task<string?> HandleAsync(VmSession session, HostCommand command, CancellationToken ct) =>
        HandleAsync(session, (TCommand)command, ct);

    /// <summary>Runs <paramref name="command"/> on <paramref name="session"/>; returns the result JSON, if any.</summary>
    protected abstract Task<string?> HandleAsync(VmSession session, TCommand command, CancellationToken ct);
}
