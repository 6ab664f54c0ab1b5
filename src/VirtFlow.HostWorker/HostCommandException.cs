namespace VirtFlow.HostWorker;

/// <summary>
/// A command failed for a reason the worker names (<see cref="VirtFlow.Contracts.HostErrorClasses"/> or QEMU's class);
/// <see cref="HostWorker.HandleAsync"/> turns it into a failed <see cref="VirtFlow.Contracts.CommandResult"/>.
/// </summary>
public sealed class HostCommandException : Exception
{
    public HostCommandException(string errorClass, string message, Exception? inner = null)
        : base(message, inner) => ErrorClass = errorClass;

    /// <summary>The error class reported in the result.</summary>
    public string ErrorClass { get; }

    /// <summary>Optional result JSON to attach to the failure (e.g. what was rolled back).</summary>
    public string? ResultJson { get; init; }
}
