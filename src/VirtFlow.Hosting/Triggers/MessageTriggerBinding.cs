using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Definitions.Triggers;

namespace VirtFlow.Hosting.Triggers;

/// <summary>One <c>message</c> trigger of a published workflow version, bound to <see cref="Queue"/>.</summary>
public sealed record MessageTriggerBinding(string Workflow, int Version, MessageTriggerSettings Settings, WorkflowDefinition Definition)
{
    /// <summary>The message type.</summary>
    public string MessageType => Settings.MessageType;

    /// <summary>The exchange and queue: <c>virtflow.msg.{messageType}</c>.</summary>
    public string Queue => MessageTriggerNames.Queue(MessageType);
}
