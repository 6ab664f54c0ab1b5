using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// Deletes expired idempotency keys from the store every <see cref="VirtFlowHttpOptions.IdempotencySweepInterval"/>
/// (on the server's <see cref="TimeProvider"/>), a bounded batch at a time, so the table holds about one lifetime's keys.
/// Several servers on one PostgreSQL may sweep at once: each deletes what the others did not (rows are skipped, not
/// waited for). A failed round is logged and tried again at the next interval.
/// </summary>
internal sealed partial class IdempotencySweep(IWorkflowStore store, VirtFlowHttpOptions options, TimeProvider clock, ILogger<IdempotencySweep> logger)
    : BackgroundService
{
    /// <summary>The most keys deleted by one statement.</summary>
    public const int Batch = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not IIdempotencyPurge purge) return;
        using var timer = new PeriodicTimer(options.IdempotencySweepInterval, clock);
        try
        {
            do
            {
                try
                {
                    var total = 0;
                    int deleted;
                    do
                    {
                        deleted = await purge.PurgeExpiredIdempotencyKeysAsync(Batch, stoppingToken).ConfigureAwait(false);
                        total += deleted;
                    }
                    while (deleted == Batch);
                    if (total > 0) Log.Purged(logger, total);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.PurgeFailed(logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5300, EventName = "IdempotencyKeysPurged", Level = LogLevel.Information, Message = "deleted {Count} expired idempotency key(s)")]
        public static partial void Purged(ILogger logger, int count);

        [LoggerMessage(EventId = 5301, EventName = "IdempotencyPurgeFailed", Level = LogLevel.Warning, Message = "deleting expired idempotency keys failed: {Error}; trying again at the next sweep")]
        public static partial void PurgeFailed(ILogger logger, string error);
    }
}
