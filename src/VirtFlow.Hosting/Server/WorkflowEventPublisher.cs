using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Server;

/// <summary>
/// Publishes the engine's live events on the bus for as long as the server runs: <c>WorkflowStatusChanged</c> and
/// <c>WorkflowProgress</c> (<see cref="WorkflowEventMessages.ToMessage"/>), in the order the engine raised them. Live
/// only: a subscriber that is slow loses the oldest events, and an event that cannot be published (broker gone) is
/// dropped; clients ask <c>GetWorkflowStatus</c> for the stored truth.
/// </summary>
public sealed class WorkflowEventPublisher(WorkflowEngine engine, IBus bus, VirtFlowBusBuilder setup, ILogger<WorkflowEventPublisher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var e in engine.SubscribeAsync(ct: stoppingToken).ConfigureAwait(false))
        {
            if (WorkflowEventMessages.ToMessage(e) is not { } message) continue;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            limit.CancelAfter(setup.SendTimeout);
            try
            {
                await bus.Publish(message, message.GetType(), limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.EventNotPublished(logger, ex, message.GetType().Name, e.InstanceId);
            }
        }
    }
}
