using System.Text.Json.Nodes;
using VirtFlow.Engine.Expressions;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>A checkpoint while work is in flight: status Running under this engine's lease.</summary>
    private Task CheckpointAsync(CancellationToken ct) => CommitAsync(InstanceStatus.Running, ct);

    /// <summary>Nothing in flight, nothing ready: the instance is blocked (Suspended) or final. Commits that.</summary>
    private async Task FinishTurnAsync(CancellationToken ct)
    {
        JsonObject? output = null;
        string? fault = null;
        InstanceStatus status;
        if (_state.CancelReason is { } reason && _rootFlow.Kind != FlowKind.Pending)
        {
            status = InstanceStatus.Cancelled;
            fault = $"cancelled: {reason}";
            Journal("InstanceCancelled", null, fault);
        }
        else
        {
            switch (_rootFlow.Kind)
            {
                case FlowKind.Done:
                    (status, output, fault) = EvaluateOutputs();
                    break;
                case FlowKind.Faulted:
                    status = InstanceStatus.Faulted;
                    fault = Describe(_rootFlow.Error!);
                    Journal("InstanceFaulted", null, fault, ErrorData(_rootFlow.Error!));
                    break;
                case FlowKind.Cancelled:
                    status = InstanceStatus.Cancelled;
                    fault = "cancelled";
                    Journal("InstanceCancelled", null, fault);
                    break;
                default:
                    status = InstanceStatus.Suspended;
                    if (!HasBookmarks())
                    {
                        status = InstanceStatus.Faulted;
                        fault = "engine error: the instance is blocked but no step waits for anything";
                        Log.BlockedWithoutBookmarks(_logger, InstanceId);
                        Journal("InstanceFaulted", null, fault);
                    }
                    break;
            }
        }
        if (status is InstanceStatus.Completed or InstanceStatus.Faulted or InstanceStatus.Cancelled && _instance.ParentInstanceId is not null)
            NotifyParent(status, output, fault);
        if (!_dirty && status == _instance.Status) return;
        await CommitAsync(status, ct, output, fault);
    }

    /// <summary>Evaluates the definition's outputs; an expression error faults the instance.</summary>
    private (InstanceStatus, JsonObject?, string?) EvaluateOutputs()
    {
        var output = new JsonObject();
        try
        {
            var scope = _def.Definition.Outputs.Count == 0 ? null : Scope(Frame.Root, "outputs");
            foreach (var (name, template) in _def.Definition.Outputs)
                output[name] = _core.Evaluator.EvaluateTemplate(template?.DeepClone(), scope!);
        }
        catch (ExpressionException ex)
        {
            var fault = $"outputs: {ex.Message}";
            Journal("InstanceFaulted", null, fault);
            return (InstanceStatus.Faulted, null, fault);
        }
        Journal("InstanceCompleted", null, $"workflow '{_instance.WorkflowName}' completed", new JsonObject { ["outputs"] = Support.JsonSummary.Trim(output) });
        return (InstanceStatus.Completed, output, null);
    }

    private static string Describe(StepError error) =>
        error.Message.StartsWith($"step '{error.Step}'", StringComparison.Ordinal) ? error.Message : error.Describe();

    /// <summary>A child instance tells its parent's <c>call</c> step, through the outbox (atomic with its final state).</summary>
    private void NotifyParent(InstanceStatus status, JsonObject? output, string? fault)
    {
        var payload = new JsonObject
        {
            ["key"] = $"child:{InstanceId}",
            ["payload"] = new JsonObject
            {
                ["instanceId"] = InstanceId,
                ["status"] = status.ToString(),
                ["outputs"] = output?.DeepClone(),
                ["fault"] = fault,
            },
        };
        _outbox.Add(new OutboxMessage
        {
            Id = $"{InstanceId}:ended",
            InstanceId = InstanceId,
            Destination = EngineDestinations.Engine,
            MessageType = EngineDestinations.PublishEvent,
            Payload = payload,
            CreatedAt = _core.Now,
        });
    }

    private bool HasBookmarks() => _state.OpenSteps().Any(s => s.Value.Bookmarks is { Count: > 0 });

    private async Task CommitAsync(InstanceStatus status, CancellationToken ct, JsonObject? output = null, string? fault = null)
    {
        var now = _core.Now;
        var running = status == InstanceStatus.Running;
        var final = status is InstanceStatus.Completed or InstanceStatus.Faulted or InstanceStatus.Cancelled;
        var (changes, written) = StateJson.Changes(_state);
        var updated = _instance with
        {
            Status = status,
            // the whole document only for the final commit's readers (once per instance); a checkpoint carries its changes
            State = final ? StateJson.Write(_state) : changes.Header,
            UpdatedAt = now,
            LeaseOwner = running ? _core.Options.EngineId : null,
            LeaseUntil = running ? now + _core.Options.LeaseDuration : null,
            Output = output ?? _instance.Output,
            Fault = fault ?? _instance.Fault,
        };
        var commit = new InstanceCommit
        {
            Instance = updated,
            ExpectedVersion = _instance.Version,
            ReplaceBookmarks = true,
            Bookmarks = final ? [] : CollectBookmarks(now),
            Outbox = _outbox.Count == 0 ? [] : [.. _outbox],
            Journal = [.. _journal],
            ConsumedInboxEventIds = _consumed.Count == 0 ? [] : [.. _consumed.Distinct(StringComparer.Ordinal)],
            StateChanges = changes,
        };
        var version = await _core.Store.CommitAsync(commit, ct).ConfigureAwait(false);
        _pureOutcomesSinceCommit = 0;
        StateJson.Saved(_state, written);
        var previous = _instance.Status;
        _instance = updated with { Version = version };
        if (_outbox.Count > 0)
        {
            if (running) _core.OutboxCommitted([.. _outbox]);
            else CommittedOutbox.AddRange(_outbox);
        }
        _outbox.Clear();
        _journal.Clear();
        _consumed.Clear();
        _dirty = false;
        _outcomeApplied = false;

        foreach (var e in _pendingEvents) _core.Hub.Publish(e);
        _pendingEvents.Clear();
        if (previous != status || version == 1)
            _core.Hub.Publish(new InstanceStatusChanged(InstanceId, _instance.WorkflowName, now, status, _instance.Fault, (JsonObject?)_instance.Output?.DeepClone()));
        _core.InstanceCommitted(_instance);
        if (_earliestNewTimer is { } due && !final) _core.TimerCommitted(due);
        _earliestNewTimer = null;
    }

    private List<Bookmark> CollectBookmarks(DateTimeOffset now)
    {
        var result = new List<Bookmark>();
        foreach (var (path, st) in _state.OpenSteps())
        {
            if (st.Bookmarks is null) continue;
            foreach (var b in st.Bookmarks)
            {
                result.Add(new Bookmark
                {
                    Id = b.Id,
                    InstanceId = InstanceId,
                    StepPath = path,
                    Name = b.Name,
                    Key = b.Key,
                    DueAt = b.DueAt,
                    Data = (JsonObject?)b.Data?.DeepClone(),
                    CreatedAt = now,
                });
            }
        }
        return result;
    }
}
