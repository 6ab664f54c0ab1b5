using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>A leaf: decides whether it is ready to start, resume or be abandoned. Only its final states end it.</summary>
    private Flow WalkActivity(ActivityStep step, StepState st, string path, Frame frame, string? cancel)
    {
        if (_inFlight.ContainsKey(path) || _prepared.ContainsKey(path)) return Flow.Pending;
        switch (st.Status)
        {
            case StepStatus.Pending when cancel is not null:
                CancelLeaf(st, path, cancel);
                return Flow.Cancelled;
            case StepStatus.Pending:
                Ready(new WorkItem(WorkKind.Start, path, step, st, frame));
                return Flow.Pending;

            // Started, but its outcome never reached the store: the engine died. Run it again (same command ids).
            case StepStatus.Running when cancel is not null || st.TimedOut:
                Ready(new WorkItem(WorkKind.Abandon, path, step, st, frame, cancel ?? "timed out"));
                return Flow.Pending;
            case StepStatus.Running:
                Ready(new WorkItem(WorkKind.Start, path, step, st, frame));
                return Flow.Pending;

            case StepStatus.Suspended when IsWaitingForRetry(st) && cancel is not null:
                CancelLeaf(st, path, cancel);
                return Flow.Cancelled;
            case StepStatus.Suspended when st.TimedOut || cancel is not null:
                Ready(new WorkItem(WorkKind.Abandon, path, step, st, frame, cancel ?? "timed out"));
                return Flow.Pending;
            case StepStatus.Suspended when st.Stimuli is { Count: > 0 }:
                Ready(new WorkItem(WorkKind.Resume, path, step, st, frame));
                return Flow.Pending;
            default:
                return Flow.Pending;
        }
    }

    private void Ready(WorkItem item) => _ready[item.Path] = item;

    private static bool IsWaitingForRetry(StepState st) =>
        st.Bookmarks is { Count: > 0 } b && b.TrueForAll(x => x.Name == BookmarkNames.Retry);

    private void CancelLeaf(StepState st, string path, string reason)
    {
        st.Status = StepStatus.Cancelled;
        st.CompletedAt = _core.Now;
        st.Bookmarks = null;
        st.Stimuli = null;
        _changed = true;
        Journal("StepCancelled", path, $"step '{st.StepId}' cancelled: {reason}");
    }

    /// <summary>Prepares the ready work (state changes, contexts). True when some item ended at once (a fault before the call), so the tree must be walked again.</summary>
    private bool StartReady()
    {
        var again = false;
        foreach (var item in _ready.Values.ToList())
        {
            switch (item.Kind)
            {
                case WorkKind.Start:
                    again |= !TryStart(item);
                    break;
                case WorkKind.Resume:
                    again |= !TryResume(item);
                    break;
                default:
                    again |= !TryAbandon(item);
                    break;
            }
        }
        _ready.Clear();
        return again;
    }
}
