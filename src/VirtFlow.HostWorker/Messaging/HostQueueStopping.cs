namespace VirtFlow.HostWorker.Messaging;

/// <summary>
/// Completes when the host's command queue stops being consumed by this process (the bus is stopping; set by
/// <see cref="HostQueueReadyObserver"/>). <see cref="HostCommandConsumer{TCommand}"/> holds the commands the stopping worker
/// gave back until then, so that the broker, once they are put back, hands them to the next consumer and not to this one.
/// </summary>
public sealed class HostQueueStopping
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the queue's consumer is stopping.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Marks the queue's consumer as stopping.</summary>
    public void Set() => _stopped.TrySetResult();
}
