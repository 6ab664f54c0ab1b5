using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>Applies what started the run. False when there is nothing to do (a recovery that is not needed).</summary>
    private async Task<bool> ApplyActionAsync(RunAction action, CancellationToken ct)
    {
        if (action is RunAction.RecoverAction || IsOrphan())
        {
            if (!IsOrphan()) return false;
            await ClaimOrphanAsync(ct);
        }
        switch (action)
        {
            case RunAction.Deliver deliver:
                foreach (var stimulus in deliver.Stimuli) AcceptStimulus(stimulus, delivered: true);
                break;
            case RunAction.Cancel cancel when !_instance.IsFinal && _state.CancelReason is null:
                _state.CancelReason = cancel.Reason;
                Journal("CancelRequested", null, $"cancellation requested: {cancel.Reason}");
                break;
        }
        return true;
    }

    /// <summary>Running, but the engine that ran it let its lease run out (it died).</summary>
    private bool IsOrphan() =>
        _instance.Status == InstanceStatus.Running
        && (_instance.LeaseUntil is null || _instance.LeaseUntil < _core.Now);

    /// <summary>Fences the orphan with a commit (only one engine wins it) and says what is kept and what runs again.</summary>
    private async Task ClaimOrphanAsync(CancellationToken ct)
    {
        var completed = _state.Steps.Values.Count(s => s.Status == StepStatus.Completed && s.Type != StepState.IterationType);
        var rerun = _state.Steps
            .Where(kv => kv.Value.Status == StepStatus.Running && _def.Find(kv.Value.StepId) is Definitions.ActivityStep)
            .Select(kv => kv.Key)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
        var what = rerun.Count == 0
            ? "no step was in flight"
            : string.Join(", ", rerun.Select(p => $"step {p}")) + " re-run from " + (rerun.Count == 1 ? "its" : "their") + " last checkpoint";
        Journal("RecoveredAfterCrash", null,
            $"resumed after engine crash; {completed} completed steps kept, {what}",
            new JsonObject
            {
                ["previousOwner"] = _instance.LeaseOwner,
                ["completedSteps"] = completed,
                ["rerun"] = new JsonArray(rerun.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray()),
            });
        Log.RecoveringOrphan(_logger, InstanceId, _instance.LeaseOwner, completed, rerun.Count);
        await CommitAsync(InstanceStatus.Running, ct);
    }

    /// <summary>
    /// Accepts a bookmark hit: the bookmark is removed and the stimulus queued on the step, in the same commit
    /// that consumes the inbox event, so it is delivered exactly once even across crashes. A stale hit (the
    /// bookmark is gone: a timer fired twice, a duplicate event) is journaled and ignored.
    /// </summary>
    private bool AcceptStimulus(StimulusRequest request, bool delivered)
    {
        if (delivered && request.EventId is { } eventId) _consumed.Add(eventId);
        var what = request.IsTimer ? $"timer '{request.BookmarkName}'" : $"event {request.EventId} ({request.Key})";
        _state.Steps.TryGetValue(request.StepPath, out var st);
        var bookmark = st is null || st.Status.IsFinal() || st.Bookmarks is null
            ? null
            : request.IsTimer
                ? st.Bookmarks.Find(b => b.Id == request.BookmarkId)
                : st.Bookmarks.Find(b => b.Key == request.Key && (b.Name == request.BookmarkName || b.Id == request.BookmarkId));
        var duplicate = !request.IsTimer && st?.SeenEvents?.Contains(request.EventId!) == true;
        if (bookmark is null || duplicate)
        {
            if (!delivered) return false;
            _rejected++;
            var why = duplicate ? "the event was already delivered to this step" : "the step no longer waits for it";
            Journal("StimulusIgnored", request.StepPath, $"ignored {what} for {request.StepPath}: {why}");
            Log.StimulusIgnored(_logger, InstanceId, request.StepPath, what, why);
            return false;
        }

        st!.Bookmarks!.Remove(bookmark);
        st.Touch();
        if (request.EventId is { } id)
        {
            (st.SeenEvents ??= []).Add(id);
            if (st.SeenEvents.Count > 200) st.SeenEvents.RemoveAt(0);
            _consumed.Add(id);
        }
        switch (bookmark.Name)
        {
            case BookmarkNames.Timeout:
                st.TimedOut = true;
                break;
            case BookmarkNames.Retry:
                st.Attempt++;
                st.Status = StepStatus.Pending;
                st.ActivityState = null;
                st.CmdSeq = 0;
                st.Bookmarks = null;
                st.Stimuli = null;
                break;
            default:
                (st.Stimuli ??= []).Add(new PendingStimulus
                {
                    BookmarkName = bookmark.Name,
                    Key = request.Key,
                    Payload = request.Payload?.DeepClone(),
                    IsTimer = request.IsTimer,
                    EventId = request.EventId,
                    Data = (JsonObject?)bookmark.Data?.DeepClone(),
                });
                break;
        }
        _accepted++;
        Journal("Resumed", request.StepPath,
            $"step '{st.StepId}' resumed by {what}",
            new JsonObject { ["bookmark"] = bookmark.Name, ["key"] = request.Key, ["eventId"] = request.EventId, ["timer"] = request.IsTimer });
        return true;
    }

    /// <summary>Fires this instance's timers that are already due (a zero delay, a retry whose delay passed) without a trip through the timer loop.</summary>
    private bool AcceptDueTimers()
    {
        var now = _core.StoreNow;
        var due = new List<StimulusRequest>();
        foreach (var (path, st) in _state.OpenSteps())
        {
            if (st.Bookmarks is null) continue;
            foreach (var b in st.Bookmarks)
            {
                if (b.DueAt is { } at && at <= now) due.Add(new StimulusRequest(path, b.Id, b.Name, null, true, null, null));
            }
        }
        var any = false;
        foreach (var request in due) any |= AcceptStimulus(request, delivered: false);
        return any;
    }

    /// <summary>docs/rules.md#r4-early-events: events that arrived before their wait. After a commit that created keyed bookmarks, looks them up in the inbox.</summary>
    private async Task<bool> MatchInboxAsync(CancellationToken ct)
    {
        if (_newKeys.Count == 0 || _dirty) return false;
        var keys = _newKeys.Distinct(StringComparer.Ordinal).ToList();
        _newKeys.Clear();
        var any = false;
        foreach (var key in keys)
        {
            var events = await _core.Store.FindInboxEventsAsync(key, ct).ConfigureAwait(false);
            foreach (var e in events)
            {
                foreach (var (path, st) in _state.OpenSteps())
                {
                    if (st.Status.IsFinal() || st.Bookmarks?.Find(b => b.Key == key) is not { } b) continue;
                    any |= AcceptStimulus(new StimulusRequest(path, b.Id, b.Name, key, false, e.Id, e.Payload), delivered: false);
                }
            }
        }
        return any;
    }
}
