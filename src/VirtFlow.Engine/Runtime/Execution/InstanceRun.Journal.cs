using System.Text.Json.Nodes;
using VirtFlow.Engine.Runtime.Events;
using VirtFlow.Engine.Runtime.State;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    private readonly List<JournalEntry> _journal = [];
    private readonly List<OutboxMessage> _outbox = [];
    private readonly List<string> _consumed = [];
    private readonly List<string> _newKeys = [];
    private DateTimeOffset? _earliestNewTimer;

    private void Journal(string kind, string? path, string message, JsonNode? data = null)
    {
        _dirty = true;
        _journal.Add(new JournalEntry
        {
            InstanceId = InstanceId,
            At = _core.Now,
            StepPath = path,
            Kind = kind,
            Message = message,
            Data = data,
        });
    }

    private static JsonObject ErrorData(StepError error, int attempt = 0)
    {
        var data = new JsonObject { ["message"] = error.Message, ["code"] = error.Code, ["step"] = error.Step };
        if (attempt > 0) data["attempt"] = attempt;
        return data;
    }

    private void RaiseCompleted(string path, string stepId, JsonObject? outputs) =>
        Raise(new StepCompleted(InstanceId, _instance.WorkflowName, _core.Now, path, stepId, (JsonObject?)outputs?.DeepClone()));

    private void RaiseFaulted(string path, string stepId, StepError error, bool willRetry) =>
        Raise(new StepFaulted(InstanceId, _instance.WorkflowName, _core.Now, path, stepId, error.Message, error.Code, willRetry));

    private void RaiseSuspended(string path, string stepId, IReadOnlyList<string> bookmarks) =>
        Raise(new StepSuspended(InstanceId, _instance.WorkflowName, _core.Now, path, stepId, bookmarks));
}
