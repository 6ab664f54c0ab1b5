namespace VirtFlow.Qmp;

/// <summary>
/// The one exception of the QMP and guest-agent clients. <see cref="ErrorClass"/> and
/// <see cref="Description"/> carry QEMU's <c>error.class</c> and <c>error.desc</c> when QEMU answered
/// with an error; transport failures use the classes in <see cref="QmpErrorClasses"/>.
/// <see cref="OperationCanceledException"/> is never wrapped.
/// </summary>
public class QmpException : Exception
{
    public QmpException(string errorClass, string description, string? command = null, Exception? inner = null)
        : base(command is null ? $"{errorClass}: {description}" : $"{command}: {errorClass}: {description}", inner)
    {
        ErrorClass = errorClass;
        Description = description;
        Command = command;
    }

    /// <summary>QEMU's error class, e.g. <c>GenericError</c>, <c>DeviceNotFound</c>, or a transport class.</summary>
    public string ErrorClass { get; }

    /// <summary>QEMU's human-readable description.</summary>
    public string Description { get; }

    /// <summary>The command that failed, when there was one.</summary>
    public string? Command { get; }

    /// <summary>True when QEMU itself answered with an error (as opposed to a transport failure).</summary>
    public bool IsQemuError => !QmpErrorClasses.IsTransport(ErrorClass);
}

/// <summary>Error classes used for failures that did not come from QEMU.</summary>
public static class QmpErrorClasses
{
    public const string Disconnected = "Disconnected";
    public const string Timeout = "Timeout";
    public const string Protocol = "ProtocolError";
    public const string ConnectFailed = "ConnectFailed";

    public static bool IsTransport(string errorClass) =>
        errorClass is Disconnected or Timeout or Protocol or ConnectFailed;
}
