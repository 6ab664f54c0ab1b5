using MassTransit;
using VirtFlow.Contracts;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Hosting.Server;

/// <summary>Answers <see cref="GetWorkflowStatus"/> (queue <see cref="WorkflowQueues.Status"/>) with the instance as stored.</summary>
[ExcludeFromConfigureEndpoints]
public sealed class GetWorkflowStatusConsumer(WorkflowEngine engine) : IConsumer<GetWorkflowStatus>
{
    public async Task Consume(ConsumeContext<GetWorkflowStatus> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var id = context.Message.InstanceId ?? "";
        var instance = id.Length == 0 ? null : await engine.GetInstanceAsync(id, context.CancellationToken).ConfigureAwait(false);
        await context.RespondAsync(WorkflowEventMessages.ToStatus(id, instance)).ConfigureAwait(false);
    }
}
