namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// The engine's background work until <paramref name="ct"/> is cancelled: the timer loop, the inbox sweep
    /// (events whose wait began in another process), orphan recovery (instances of dead engines), the outbox
    /// sweep (retries of failed sends) and the inbox purge. Returns when cancelled; a failing pass is logged
    /// and tried again later.
    /// </summary>
    public async Task RunBackgroundAsync(CancellationToken ct)
    {
        Log.BackgroundStarted(_logger, _options.EngineId);
        await Task.WhenAll(
            RunTimerLoopAsync(ct),
            RepeatAsync("inbox sweep", _options.InboxSweepInterval, SweepInboxAsync, ct),
            RepeatAsync("orphan recovery", _options.OrphanRecoveryInterval, RecoverOrphansAsync, ct),
            RepeatAsync("outbox sweep", _options.OutboxSweepInterval, DispatchPendingOutboxAsync, ct),
            RepeatAsync("inbox purge", _options.InboxPurgeInterval, PurgeInboxAsync, ct)).ConfigureAwait(false);
        Log.BackgroundStopped(_logger, _options.EngineId);
    }

    /// <summary>
    /// Matches events kept in the inbox against bookmarks that exist now (one pass of the sweep): closes the
    /// race of an event and its wait being committed at the same time by different processes.
    /// </summary>
    /// <returns>How many deliveries were accepted.</returns>
    public async Task<int> SweepInboxAsync(CancellationToken ct = default)
    {
        var events = await _store.FindMatchableInboxEventsAsync(_options.BatchSize, ct).ConfigureAwait(false);
        var accepted = 0;
        foreach (var e in events)
            accepted += await DeliverEventAsync(e.Id, e.Key, e.Payload, ct).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Deletes expired inbox events and consumed ones older than <see cref="WorkflowEngineOptions.ConsumedInboxRetention"/>.</summary>
    public Task<int> PurgeInboxAsync(CancellationToken ct = default)
    {
        var now = _core.Now;
        return _store.PurgeInboxAsync(now, now - _options.ConsumedInboxRetention, ct);
    }

    private async Task RepeatAsync(string name, TimeSpan interval, Func<CancellationToken, Task<int>> pass, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var done = await pass(ct).ConfigureAwait(false);
                if (done >= _options.BatchSize) continue;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.BackgroundPassFailed(_logger, ex, name);
            }
            await DelayAsync(interval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Waits on the engine's clock; returns early (without throwing) when cancelled.</summary>
    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, _core.Clock, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
    }
}
