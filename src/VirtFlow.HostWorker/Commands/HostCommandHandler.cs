using VirtFlow.Contracts;

namespace VirtFlow.HostWorker;

/// <summary>
/// The handler of commands of type <typeparamref name="TCommand"/>, answering with a <typeparamref name="TResult"/> (the
/// command's result in <see cref="HostCommandTable"/>). The result becomes JSON here, at the edge to the bus.
/// </summary>
internal abstract class HostCommandHandler<TCommand, TResult> : IHostCommandHandler
    where TCommand : HostCommand
    where TResult : class
{
    public Type CommandType => typeof(TCommand);

    public Type ResultType => typeof(TResult);

    public async Task<string?> HandleAsync(VmSession session, HostCommand command, CancellationToken ct) =>
        Json(await HandleAsync(session, (TCommand)command, ct).ConfigureAwait(false));

    /// <summary>Runs <paramref name="command"/> on <paramref name="session"/>; returns its result, if any.</summary>
    protected abstract Task<TResult?> HandleAsync(VmSession session, TCommand command, CancellationToken ct);

    /// <summary>A result as the bus carries it (<see cref="HostResultJson"/>), e.g. for a failure that reports what it did.</summary>
    protected static string? Json(TResult? result) => result is null ? null : HostResultJson.Serialize(result);
}
