using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>The handler of host-level commands of type <typeparamref name="TCommand"/> (the command runner calls <see cref="HandleHostAsync"/>).</summary>
internal abstract class HostLevelHandler<TCommand, TResult> : HostCommandHandler<TCommand, TResult>, IHostLevelHandler
    where TCommand : HostCommand
    where TResult : class
{
    public async Task<string?> HandleHostAsync(IReadOnlyDictionary<string, VmSession> sessions, HostCommand command, CancellationToken ct) =>
        Json(await HandleAsync(sessions, (TCommand)command, ct).ConfigureAwait(false));

    protected sealed override Task<TResult?> HandleAsync(VmSession session, TCommand command, CancellationToken ct) =>
        HandleAsync(new Dictionary<string, VmSession> { [session.Name] = session }, command, ct);

    /// <summary>Runs <paramref name="command"/>; returns its result, if any.</summary>
    protected abstract Task<TResult?> HandleAsync(IReadOnlyDictionary<string, VmSession> sessions, TCommand command, CancellationToken ct);
}
