using System.Runtime.ExceptionServices;
using MassTransit;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Feeds one command type from the host's queue to the <see cref="HostWorker"/>; the result goes out through the
/// worker's sink (published). A failing publish faults the message, so the broker redelivers it and the worker
/// answers the repeat from its result cache. A command the stopping worker gives back
/// (<see cref="HostWorkerStoppingException"/>, only with <see cref="HostWorkerOptions.RequeueWhenStopping"/>) is held until
/// the bus stops consuming the queue, then thrown to the transport.
/// </summary>
/// <remarks>
/// Not finished: with MassTransit 8.5.12 the exception reaches the endpoint's error pipe as a
/// <c>ConsumerCanceledException</c> (the consume context is cancelled by then) and the message is moved to the
/// <c>_error</c> queue instead of going back to the host queue, so no VirtFlow process turns the option on yet.
/// </remarks>
public sealed class HostCommandConsumer<TCommand>(HostWorker worker, HostQueueStopping queue) : IConsumer<TCommand>
    where TCommand : HostCommand
{
    /// <summary>The longest a given-back command is held waiting for the queue to stop being consumed.</summary>
    private static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(20);

    public async Task Consume(ConsumeContext<TCommand> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await worker.HandleAsync(context.Message, context.CancellationToken).ConfigureAwait(false);
        }
        catch (HostWorkerStoppingException stopping)
        {
            try
            {
                await queue.Stopped.WaitAsync(HoldLimit, context.CancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Given back now anyway: the broker keeps it either way.
            }
            ExceptionDispatchInfo.Capture(stopping).Throw();
        }
    }
}
