using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>The handler of host-level commands of type <typeparamref name="TCommand"/> (the command runner calls <see cref="HandleHostAsync"/>).</summary>
internal abstract class HostLevelHandler<TCommand> : HostCommandHandler<TCommand>, IHostLevelHandler where TCommand : HostCommand
{
    public Task<string?> HandleHostAsync(IReadOnlyDictionary<string, VmSession> sessions, HostCommand command, CancellationToken ct) =>
        HandleAsync(sessions, (TCommand)command, ct);

    protected sealed override Task<string?> HandleAsync(VmSession session, TCommand command, CancellationToken ct) =>
        HandleAsync(new Dictionary<string, VmSession> { [session.Name] = session }, command, ct);

    /// <summary>Runs <paramref name="command"/>; returns the result JSON, if any.</summary>
    protected abstract Task<string?> HandleAsync(IReadOnlyDictionary<string, VmSession> sessions, TCommand command, CancellationToken ct);
}
