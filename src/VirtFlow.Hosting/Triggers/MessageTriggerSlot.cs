namespace VirtFlow.Hosting.Triggers;

/// <summary>
/// The binding one message type's endpoint serves now: a new published version of its workflow replaces it here without
/// reconnecting the endpoint.
/// </summary>
public sealed class MessageTriggerSlot(string messageType)
{
    private volatile MessageTriggerBinding? _current;

    /// <summary>The message type.</summary>
    public string MessageType { get; } = messageType;

    /// <summary>The binding, or null once no published workflow has the trigger.</summary>
    public MessageTriggerBinding? Current
    {
        get => _current;
        set => _current = value;
    }
}
