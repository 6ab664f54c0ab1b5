using System.Runtime.ExceptionServices;
using MassTransit;
using VirtFlow.Contracts;

namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Feeds one command type from the host's queue to the <see cref="HostWorker"/>; the result goes out through the
/// worker's sink (published). A failing publish faults the message, so the broker redelivers it and the worker
/// answers the repeat from its result cache. A command the stopping worker gives back
/// (<see cref="HostWorkerStoppingException"/>, only with <see cref="HostWorkerOptions.RequeueWhenStopping"/>) is held until
/// the bus stops consuming the queue, then forwarded to the queue again.
/// </summary>
/// <remarks>
/// Throwing the given-back command to the transport does not work with MassTransit 8.5.12: the consume is cancelled by
/// then, the exception reaches the error pipe as a <c>ConsumerCanceledException</c> and the message lands in the
/// <c>_error</c> queue. So it is forwarded (sent again, unchanged) to its own queue and this delivery acknowledged.
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
            try
            {
                // Put back at the tail of its own queue, the same message (id, headers, CommandId): the next consumer
                // runs it (idempotent by command and job id). Throwing instead would move it to the _error queue:
                // MassTransit sees the consume as cancelled by then.
                await context.Forward(context.ReceiveContext.InputAddress).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ExceptionDispatchInfo.Capture(stopping).Throw();
            }
        }
    }
}
