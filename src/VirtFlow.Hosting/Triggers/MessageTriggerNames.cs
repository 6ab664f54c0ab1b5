namespace VirtFlow.Hosting.Triggers;

/// <summary>The broker names and headers of message triggers.</summary>
public static class MessageTriggerNames
{
    /// <summary>The prefix of every message trigger's exchange and queue.</summary>
    public const string Prefix = "virtflow.msg.";

    /// <summary>The header of a message in the error queue that says why it was rejected (one line, at most 500 characters).</summary>
    public const string ReasonHeader = "virtflow-reason";

    /// <summary>The exchange and queue of <paramref name="messageType"/>: <c>virtflow.msg.{messageType}</c>.</summary>
    public static string Queue(string messageType) => Prefix + messageType;

    /// <summary>Where rejected messages of <paramref name="messageType"/> end: <c>virtflow.msg.{messageType}_error</c>.</summary>
    public static string ErrorQueue(string messageType) => Queue(messageType) + "_error";

    /// <summary>
    /// A RabbitMQ permission pattern for the exchanges producers publish to (every message type; not the <c>_error</c> ones,
    /// since a message type has no '_').
    /// </summary>
    public const string ExchangePattern = @"virtflow\.msg\.[A-Za-z][A-Za-z0-9-]*";
}
