using System.Collections.Concurrent;
using MassTransit;
using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Tests.Messaging;

/// <summary>What the recording consumer saw: every <see cref="WorkflowMessage"/> with its broker message id.</summary>
public sealed class Recorder
{
    public ConcurrentQueue<(WorkflowMessage Message, Guid? TransportId)> Received { get; } = new();

    /// <summary>How many replies the consumer publishes per message (2: a duplicate the engine must drop).</summary>
    public int RepliesPerMessage { get; set; } = 1;

    public bool Reply { get; set; } = true;
}

/// <summary>
/// A queue's consumer as a workflow's partner would write it: records, then answers by publishing a <see cref="CommandResult"/>
/// for the message id (the engine key <c>reply:{id}</c>).
/// </summary>
public sealed class RecordingConsumer(Recorder recorder) : IConsumer<WorkflowMessage>
{
    public async Task Consume(ConsumeContext<WorkflowMessage> context)
    {
        recorder.Received.Enqueue((context.Message, context.MessageId));
        if (!recorder.Reply) return;
        for (var i = 0; i < recorder.RepliesPerMessage; i++)
        {
            await context.Publish(new CommandResult
            {
                EventId = $"recorder/result/{context.Message.MessageId}",
                HostId = "recorder",
                CommandId = context.Message.MessageId,
                Vm = "",
                Success = true,
                CommandType = context.Message.MessageType,
                ResultJson = context.Message.PayloadJson,
            });
        }
    }
}
