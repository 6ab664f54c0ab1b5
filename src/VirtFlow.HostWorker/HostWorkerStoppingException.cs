namespace VirtFlow.HostWorker;

/// <summary>
/// A command was not run to its end because the worker is stopping, and no result was published for it
/// (<see cref="HostWorkerOptions.RequeueWhenStopping"/>): the transport must put it back in the queue so that the next
/// worker runs it (commands are idempotent by id).
/// </summary>
public sealed class HostWorkerStoppingException : Exception
{
    public HostWorkerStoppingException()
    {
    }

    public HostWorkerStoppingException(string message)
        : base(message)
    {
    }

    public HostWorkerStoppingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
