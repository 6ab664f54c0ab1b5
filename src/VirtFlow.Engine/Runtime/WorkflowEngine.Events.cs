using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// Receives an event: stores it in the inbox (an id seen before is ignored: returns false), then resumes
    /// every instance with a bookmark for its key, each running until blocked. An event nobody waits for yet
    /// stays in the inbox for <see cref="WorkflowEngineOptions.InboxEventTtl"/> and is matched when a wait for
    /// its key begins.
    /// </summary>
    /// <returns>False when the event's id was already received.</returns>
    public async Task<bool> PublishEventAsync(EventEnvelope envelope, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentException.ThrowIfNullOrEmpty(envelope.Id);
        ArgumentException.ThrowIfNullOrEmpty(envelope.Key);
        var now = _core.Now;
        var added = await _store.TryAddInboxEventAsync(new InboxEvent
        {
            Id = envelope.Id,
            Key = envelope.Key,
            Payload = envelope.Payload?.DeepClone(),
            ReceivedAt = now,
            ExpiresAt = now + _options.InboxEventTtl,
        }, ct).ConfigureAwait(false);
        if (!added)
        {
            Log.DuplicateEvent(_logger, envelope.Id, envelope.Key);
            return false;
        }
        await DeliverEventAsync(envelope.Id, envelope.Key, envelope.Payload, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Resumes the instances waiting for <paramref name="key"/> with this event. Returns how many accepted it.</summary>
    private async Task<int> DeliverEventAsync(string eventId, string key, JsonNode? payload, CancellationToken ct)
    {
        var bookmarks = await _store.FindBookmarksByKeyAsync(key, ct).ConfigureAwait(false);
        if (bookmarks.Count == 0)
        {
            Log.EventKept(_logger, eventId, key);
            return 0;
        }
        var byInstance = bookmarks
            .GroupBy(b => b.InstanceId, StringComparer.Ordinal)
            .Select(g => (InstanceId: g.Key, Stimuli: (IReadOnlyList<StimulusRequest>)g
                .Select(b => new StimulusRequest(b.StepPath, b.Id, b.Name, key, false, eventId, payload?.DeepClone()))
                .ToList()))
            .ToList();
        var accepted = 0;
        await ForEachInstanceAsync(byInstance, async (item, token) =>
        {
            var result = await DeliverAsync(item.InstanceId, item.Stimuli, token).ConfigureAwait(false);
            Interlocked.Add(ref accepted, result.Accepted);
        }, ct).ConfigureAwait(false);
        return accepted;
    }

    /// <summary>Delivers stimuli to one instance; a lost race beyond the retries, or a busy instance, is left to the sweeps.</summary>
    private async Task<RunResult> DeliverAsync(string instanceId, IReadOnlyList<StimulusRequest> stimuli, CancellationToken ct)
    {
        try
        {
            return await ExecuteAsync(instanceId, new RunAction.Deliver(stimuli), null, ct).ConfigureAwait(false);
        }
        catch (ConcurrencyException ex)
        {
            Log.DeliveryDeferred(_logger, ex, instanceId);
            return RunResult.BusyElsewhere;
        }
    }

    /// <summary>Runs <paramref name="work"/> for each item, <see cref="WorkflowEngineOptions.MaxConcurrentResumes"/> at a time; one instance's failure is logged and does not stop the others.</summary>
    private async Task ForEachInstanceAsync<T>(IReadOnlyList<T> items, Func<T, CancellationToken, Task> work, CancellationToken ct)
    {
        if (items.Count == 1)
        {
            await GuardAsync(items[0], work, ct).ConfigureAwait(false);
            return;
        }
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentResumes, CancellationToken = ct },
            async (item, token) => await GuardAsync(item, work, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task GuardAsync<T>(T item, Func<T, CancellationToken, Task> work, CancellationToken ct)
    {
        try
        {
            await work(item, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.InstanceWorkFailed(_logger, ex, item?.ToString() ?? "?");
        }
    }
}
