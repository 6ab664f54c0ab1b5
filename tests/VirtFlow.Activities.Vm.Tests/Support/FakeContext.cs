using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VirtFlow.Engine.Activities;

namespace VirtFlow.Activities.Vm.Tests.Support;

/// <summary>An activity context without an engine, for driving one activity call by call (ids as the runtime makes them).</summary>
public sealed class FakeContext(JsonObject inputs, string instanceId = "i-1", string stepPath = "step", int attempt = 1) : ActivityContext
{
    public override string InstanceId { get; } = instanceId;
    public override string WorkflowName => "test";
    public override string StepId => StepPath;
    public override string StepPath { get; } = stepPath;
    public override int Attempt { get; } = attempt;
    public override JsonObject Inputs { get; } = inputs;
    public override JsonObject State { get; } = new();
    public override TimeProvider Clock { get; } = new ManualClock();
    public override ILogger Logger => NullLogger.Instance;
    public override IServiceProvider Services => throw new NotSupportedException();

    public List<(string Id, string Destination, string Type, JsonObject Payload)> Sent { get; } = [];

    public override string SendCommand(string destination, string messageType, JsonObject payload)
    {
        var id = $"{InstanceId}:{StepPath}:{Attempt}:{Sent.Count + 1}";
        Sent.Add((id, destination, messageType, payload));
        return id;
    }

    public override void Journal(string kind, string message, JsonNode? data = null)
    {
    }

    public override void ReportProgress(JsonObject progress)
    {
    }

    public override JsonNode? GetVariable(string name) => null;

    public override void SetVariable(string name, JsonNode? value)
    {
    }

    public override JsonNode? Evaluate(string expression) => throw new NotSupportedException();
}
