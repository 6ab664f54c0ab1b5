namespace VirtFlow.Qmp;

/// <summary>
/// The one exception of the QMP and guest-agent clients. <see cref="ErrorClass"/> and
/// <see cref="Description"/> carry QEMU's <c>error.class</c> and <c>error.desc</c> when QEMU answered
/// with an error; transport failures use the classes in <see cref="QmpErrorClasses"/>.
/// <see cref="OperationCanceledException"/> is never wrapped.
/// </summary>
public class QmpException : Exception
{
    /// <summary>Creates the exception; the message is <c>[command: ]class: description</c>.</summary>
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
    /// <summary>The connection ended (peer closed, killed, or the client was disposed) before a reply.</summary>
    public const string Disconnected = "Disconnected";
    /// <summary>No reply (or no matching event) within the allowed time; the command may still run in QEMU.</summary>
    public const string Timeout = "Timeout";
    /// <summary>The peer does not speak the protocol (no or malformed greeting, invalid JSON).</summary>
    public const string Protocol = "ProtocolError";
    /// <summary>The socket could not be opened (missing, refused, malformed address).</summary>
    public const string ConnectFailed = "ConnectFailed";

    /// <summary>An event listener fell so far behind that its bounded queue overflowed: it missed events.</summary>
    public const string EventsLost = "EventsLost";

    /// <summary>True for the classes above, which never come from QEMU itself.</summary>
    public static bool IsTransport(string errorClass) =>
        errorClass is Disconnected or Timeout or Protocol or ConnectFailed or EventsLost;
}
