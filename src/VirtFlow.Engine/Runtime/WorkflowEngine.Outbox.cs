using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.Execution;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    private readonly ConcurrentDictionary<string, bool> _sending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _retryAfter = new(StringComparer.Ordinal);

    // Messages this engine marked dispatched (Stopwatch time of the mark), kept while a sweep that read the store before
    // the mark may still come to them: without it, a sweep that read a message as pending while its first send was in
    // flight sent it again once that send was over. Pass id → when the pass read the store.
    private readonly ConcurrentDictionary<string, long> _justDispatched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, long> _sweepReads = new();
    private long _sweepPasses;

    /// <summary>
    /// Sends the outbox messages not yet dispatched (one pass of the outbox sweep), skipping those whose
    /// retry delay has not passed. Failed sends are retried with exponential backoff.
    /// </summary>
    /// <returns>How many messages were sent.</returns>
    public async Task<int> DispatchPendingOutboxAsync(CancellationToken ct = default)
    {
        var pass = Interlocked.Increment(ref _sweepPasses);
        _sweepReads[pass] = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var pending = await _store.GetPendingOutboxAsync(_options.BatchSize, ct).ConfigureAwait(false);
            var now = _core.Now;
            var sent = 0;
            foreach (var message in pending)
            {
                if (_retryAfter.TryGetValue(message.Id, out var after) && after > now) continue;
                if (await SendAsync(message, ct).ConfigureAwait(false)) sent++;
            }
            return sent;
        }
        finally
        {
            _sweepReads.TryRemove(pass, out _);
            ForgetDispatchedBeforeEverySweepRead();
        }
    }

    /// <summary>
    /// Drops the marks every running sweep read the store after (its read already saw them dispatched); with no sweep
    /// running, all of them.
    /// </summary>
    private void ForgetDispatchedBeforeEverySweepRead()
    {
        var oldestRead = long.MaxValue;
        foreach (var read in _sweepReads.Values) oldestRead = Math.Min(oldestRead, read);
        foreach (var (id, markedAt) in _justDispatched)
        {
            if (markedAt < oldestRead) _justDispatched.TryRemove(new KeyValuePair<string, long>(id, markedAt));
        }
    }

    /// <summary>Sends messages committed while their run goes on (the run holds the instance lock, so this must not wait for it).</summary>
    private void DispatchInBackground(IReadOnlyList<OutboxMessage> messages)
    {
        Interlocked.Increment(ref _backgroundDispatches);
        _ = Task.Run(async () =>
        {
            try
            {
                await DispatchAsync(messages, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.BackgroundPassFailed(_logger, ex, "outbox dispatch");
            }
            finally
            {
                Interlocked.Decrement(ref _backgroundDispatches);
            }
        });
    }

    private int _backgroundDispatches;

    /// <summary>
    /// Waits until this engine has nothing in hand: no instance running, no outbox send in flight (a send to an in-process
    /// host may carry on the whole chain of replies and runs). For tests and an orderly stop; false when
    /// <paramref name="timeout"/> passed first.
    /// </summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp(); // real time: the engine's clock may be a test's, standing still
        var quietTurns = 0;
        while (System.Diagnostics.Stopwatch.GetElapsedTime(started) < timeout)
        {
            // Idle twice in a row, a moment apart: a send that just ended may have started a run a moment later.
            quietTurns = _activeRuns.IsEmpty && _sending.IsEmpty && Volatile.Read(ref _backgroundDispatches) == 0 ? quietTurns + 1 : 0;
            if (quietTurns >= 2) return true;
            await Task.Delay(TimeSpan.FromMilliseconds(2), ct).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Sends messages a run just committed (after its instance lock is released).</summary>
    private async Task DispatchAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct)
    {
        foreach (var message in messages) await SendAsync(message, ct).ConfigureAwait(false);
    }

    /// <summary>Sends one message (the engine's own commands are handled here); marks it dispatched, or failed for a later retry.</summary>
    private async Task<bool> SendAsync(OutboxMessage message, CancellationToken ct)
    {
        if (!_sending.TryAdd(message.Id, true)) return false;
        try
        {
            if (_justDispatched.ContainsKey(message.Id)) return false; // sent by this engine after a sweep read it as pending
            if (message.Destination == EngineDestinations.Engine) await HandleEngineCommandAsync(message, ct).ConfigureAwait(false);
            else if (_transport is null) throw new InvalidOperationException($"no outbox transport is configured: cannot send {message.MessageType} to '{message.Destination}'");
            else await _transport.SendAsync(message, ct).ConfigureAwait(false);
            await _store.MarkOutboxDispatchedAsync(message.Id, _core.Now, ct).ConfigureAwait(false);
            _retryAfter.TryRemove(message.Id, out _);
            if (_sweepReads.IsEmpty) ForgetDispatchedBeforeEverySweepRead(); // nothing to keep it for (and forget the rest)
            else _justDispatched[message.Id] = System.Diagnostics.Stopwatch.GetTimestamp();
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            var attempts = message.Attempts + 1;
            var delay = TimeSpan.FromMilliseconds(Math.Min(
                _options.OutboxRetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 30)),
                _options.OutboxRetryMaxDelay.TotalMilliseconds));
            _retryAfter[message.Id] = _core.Now + delay;
            Log.OutboxSendFailed(_logger, ex, message.Id, message.MessageType, message.Destination, attempts, delay);
            await _store.MarkOutboxFailedAsync(message.Id, ex.Message, ct).ConfigureAwait(false);
            return false;
        }
        finally
        {
            _sending.TryRemove(message.Id, out _);
        }
    }

    /// <summary>Commands the engine sends itself: start a child workflow, cancel one, publish an event (a child's end).</summary>
    private async Task HandleEngineCommandAsync(OutboxMessage message, CancellationToken ct)
    {
        var p = message.Payload;
        switch (message.MessageType)
        {
            case EngineDestinations.StartWorkflow:
                await StartChildAsync(message.Id, p, ct).ConfigureAwait(false);
                break;
            case EngineDestinations.CancelWorkflow:
                await CancelAsync(Text(p, "instanceId")!, Text(p, "reason") ?? "cancelled by its parent", ct).ConfigureAwait(false);
                break;
            case EngineDestinations.PublishEvent:
                await PublishEventAsync(new EventEnvelope(message.Id, Text(p, "key")!, p["payload"]?.DeepClone()), ct).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"unknown engine command {message.MessageType}");
        }
    }

    private async Task StartChildAsync(string messageId, JsonObject p, CancellationToken ct)
    {
        var childId = Text(p, "instanceId")!;
        var workflow = Text(p, "workflow")!;
        string? fault;
        try
        {
            var definition = await _definitions.FindByNameAsync(workflow, ct).ConfigureAwait(false);
            if (definition is null)
            {
                fault = $"workflow '{workflow}' is not defined";
            }
            else
            {
                await StartAsync(definition, p["inputs"] as JsonObject is { } inputs ? (JsonObject)inputs.DeepClone() : null, new StartOptions
                {
                    InstanceId = childId,
                    CorrelationId = Text(p, "correlationId"),
                    ParentInstanceId = Text(p, "parentInstanceId"),
                    ParentStepPath = Text(p, "parentStepPath"),
                }, ct).ConfigureAwait(false);
                return;
            }
        }
        catch (WorkflowEngineException ex)
        {
            fault = ex.Message;
        }
        Log.ChildNotStarted(_logger, childId, workflow, fault);
        await PublishEventAsync(new EventEnvelope($"{childId}:ended", $"child:{childId}", new JsonObject
        {
            ["instanceId"] = childId,
            ["status"] = "Faulted",
            ["fault"] = fault,
        }), ct).ConfigureAwait(false);
    }

    private static string? Text(JsonObject payload, string name) =>
        payload[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
