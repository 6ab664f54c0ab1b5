using MassTransit;
using VirtFlow.Contracts;

namespace VirtFlow.Hosting.Client;

/// <summary>Hands the server's status and progress messages to the <see cref="WorkflowWatch"/>.</summary>
[ExcludeFromConfigureEndpoints]
public sealed class WorkflowWatchConsumer(WorkflowWatch watch) : IConsumer<WorkflowStatusChanged>, IConsumer<WorkflowProgress>
{
    public Task Consume(ConsumeContext<WorkflowStatusChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        watch.Post(context.Message.InstanceId, context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<WorkflowProgress> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        watch.Post(context.Message.InstanceId, context.Message);
        return Task.CompletedTask;
    }
}
