using VirtFlow.Engine.Runtime.Execution;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    private readonly SemaphoreSlim _timerWake = new(0, 1);
    private long _plannedWakeMs = long.MaxValue;

    /// <summary>
    /// Fires the timers due now (one pass of the timer loop): each resumes its instance once; a timer fired
    /// twice (by two engines, or twice by one) is recognised and ignored.
    /// </summary>
    /// <returns>How many timers were accepted.</returns>
    public async Task<int> ProcessDueTimersAsync(CancellationToken ct = default)
    {
        var due = await _store.FindDueTimersAsync(_core.StoreNow, _options.BatchSize, ct).ConfigureAwait(false);
        if (due.Count == 0) return 0;
        var byInstance = due
            .GroupBy(b => b.InstanceId, StringComparer.Ordinal)
            .Select(g => (InstanceId: g.Key, Stimuli: (IReadOnlyList<StimulusRequest>)g
                .Select(b => new StimulusRequest(b.StepPath, b.Id, b.Name, null, true, null, null))
                .ToList()))
            .ToList();
        var accepted = 0;
        await ForEachInstanceAsync(byInstance, async (item, token) =>
        {
            var result = await DeliverAsync(item.InstanceId, item.Stimuli, token).ConfigureAwait(false);
            Interlocked.Add(ref accepted, result.Accepted + result.Rejected);
        }, ct).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Sleeps until the next timer is due (or a new earlier one is committed, or the poll interval passes), then fires due timers.</summary>
    private async Task RunTimerLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var next = await _store.GetNextTimerDueAsync(ct).ConfigureAwait(false);
                var now = _core.StoreNow;
                if (next is { } due && due <= now)
                {
                    if (await ProcessDueTimersAsync(ct).ConfigureAwait(false) > 0) continue;
                    next = null; // due timers of instances busy elsewhere: look again after the poll interval
                }
                var wait = _options.TimerPollInterval;
                if (next is { } later && later - now < wait) wait = later - now;
                Interlocked.Exchange(ref _plannedWakeMs, (now + wait).ToUnixTimeMilliseconds());
                await WaitForTimerWakeAsync(wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.BackgroundPassFailed(_logger, ex, "timers");
                await DelayAsync(_options.TimerPollInterval, ct).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForTimerWakeAsync(TimeSpan wait, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wake = _timerWake.WaitAsync(cts.Token);
        var delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _core.Clock, cts.Token);
        await Task.WhenAny(wake, delay).ConfigureAwait(false);
        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(wake, delay).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the loser of the two waits was cancelled: expected
        }
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>A commit created a timer: wake the timer loop if it is due before the loop's planned wake-up.</summary>
    private void OnTimerCommitted(DateTimeOffset due)
    {
        if (due.ToUnixTimeMilliseconds() >= Interlocked.Read(ref _plannedWakeMs)) return;
        Interlocked.Exchange(ref _plannedWakeMs, due.ToUnixTimeMilliseconds());
        if (_timerWake.CurrentCount == 0)
        {
            try
            {
                _timerWake.Release();
            }
            catch (SemaphoreFullException)
            {
                // another thread woke it already
            }
        }
    }
}
