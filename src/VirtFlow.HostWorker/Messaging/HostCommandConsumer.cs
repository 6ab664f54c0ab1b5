using MassTransit;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Feeds one command type from the host's queue to the <see cref="HostWorker"/>; the result goes out through the
/// worker's sink (published). A failing publish faults the message, so the broker redelivers it and the worker
/// answers the repeat from its result cache.
/// </summary>
public sealed class HostCommandConsumer<TCommand>(HostWorker worker) : IConsumer<TCommand>
    where TCommand : HostCommand
{
    public Task Consume(ConsumeContext<TCommand> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return worker.HandleAsync(context.Message, context.CancellationToken);
    }
}
