using System.Text.Json.Nodes;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;

namespace VirtFlow.Cli.Commands;

/// <summary>What an instance's stream told about its end: workflow, status, outputs, fault, times.</summary>
internal sealed class StreamOutcome(string id)
{
    private string _workflow = "";
    private DateTimeOffset _startedAt;
    private RunOutcome? _final;

    public void Apply(LiveEvent e)
    {
        switch (e.Kind)
        {
            case "InstanceStarted":
                _workflow = e.Data?["workflow"]?.GetValue<string>() ?? _workflow;
                _startedAt = e.At;
                _final = null;
                break;
            case "InstanceCompleted":
                _final = new RunOutcome(id, _workflow, InstanceStatus.Completed, e.Data?["outputs"]?.DeepClone() as JsonObject, null, _startedAt, e.At);
                break;
            case "InstanceFaulted":
                _final = new RunOutcome(id, _workflow, InstanceStatus.Faulted, null, e.Message, _startedAt, e.At);
                break;
            case "InstanceCancelled":
                _final = new RunOutcome(id, _workflow, InstanceStatus.Cancelled, null, e.Message, _startedAt, e.At);
                break;
            default:
                if (e.Kind is "StepStarted" or "Resumed") _final = null;
                break;
        }
    }

    /// <summary>The end seen, or the instance as running.</summary>
    public RunOutcome Outcome => _final ?? new RunOutcome(id, _workflow, InstanceStatus.Running, null, null, _startedAt, null);
}
