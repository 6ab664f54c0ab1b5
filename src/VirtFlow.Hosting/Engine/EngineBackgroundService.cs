using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Hosting.Engine;

/// <summary>
/// Runs <see cref="WorkflowEngine.RunBackgroundAsync"/> (timers, inbox and outbox sweeps, crash recovery) for the
/// life of the host; stopping the host stops the loop.
/// </summary>
public sealed class EngineBackgroundService(WorkflowEngine engine, ILogger<EngineBackgroundService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.BackgroundStarting(logger, engine.Options.EngineId);
        try
        {
            await engine.RunBackgroundAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            Log.BackgroundFailed(logger, ex, engine.Options.EngineId);
            throw;
        }
    }
}
