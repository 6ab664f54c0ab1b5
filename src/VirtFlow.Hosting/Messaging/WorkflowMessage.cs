namespace VirtFlow.Hosting.Messaging;

/// <summary>
/// A command a workflow sends (<c>message.send</c>) that is not a host command: it goes as is to the queue named by its
/// destination (<c>notifications</c>, <c>copy-workers</c>). A consumer answers by publishing an event with key
/// <c>reply:{<see cref="MessageId"/>}</c> into the engine.
/// </summary>
public sealed record WorkflowMessage
{
    /// <summary>The outbox id: deterministic (instance, step, attempt), the same each time the message is sent again.</summary>
    public required string MessageId { get; init; }

    /// <summary>The destination as the workflow named it (the queue).</summary>
    public required string Destination { get; init; }

    /// <summary>The workflow's message type (<c>ApprovalRequested</c>).</summary>
    public required string MessageType { get; init; }

    /// <summary>The body as a JSON object.</summary>
    public string PayloadJson { get; init; } = "{}";

    /// <summary>The instance that sent it.</summary>
    public string? InstanceId { get; init; }

    /// <summary>When the message was committed to the outbox.</summary>
    public DateTimeOffset CreatedAt { get; init; }
}
