using System.Text.Json.Nodes;
using VirtFlow.Engine.Activities.InputRecords;
using VirtFlow.Engine.Runtime.Execution;

namespace VirtFlow.Engine.Activities.BuiltIn;

/// <summary>
/// <c>call</c>: runs another workflow as a child instance and completes with its outputs (or faults with
/// its reason). The child is started through the outbox, atomically with this step's suspension, with an
/// id derived from (instance, step path, attempt): a replay never starts a second child.
/// </summary>
public sealed class CallActivity : BuiltInActivity
{
    public override ActivityDescriptor Descriptor { get; } = new()
    {
        Type = "call",
        Pure = true, // its effects (variables, bookmarks, commands, journal) go through the context, committed with the outcome
        Description = "Runs another workflow (its latest definition) as a child instance and waits for it; completes with the child's outputs.",
        InputRecord = typeof(With),
        Outputs = [new("*", "any", "The child workflow's outputs, as its definition names them.")],
        AllowsExtraInputs = false,
    };

    protected override ValueTask<ActivityOutcome> RunAsync(ActivityContext context, CancellationToken cancellationToken)
    {
        var with = context.Bind<With>();
        var workflow = with.Workflow;
        var childId = CommandIds.Child(context.InstanceId, context.StepPath, context.Attempt);
        context.SendCommand(EngineDestinations.Engine, EngineDestinations.StartWorkflow, new JsonObject
        {
            ["instanceId"] = childId,
            ["workflow"] = workflow,
            ["inputs"] = with.Inputs,
            ["correlationId"] = with.CorrelationId,
            ["parentInstanceId"] = context.InstanceId,
            ["parentStepPath"] = context.StepPath,
        });
        context.State["childId"] = childId;
        context.Journal("ChildStarted", $"started sub-workflow '{workflow}' as {childId}", new JsonObject { ["childId"] = childId });
        return ValueTask.FromResult(ActivityOutcome.Suspend(new BookmarkRequest("child", $"child:{childId}")));
    }

    public override ValueTask<ActivityOutcome> ResumeAsync(ActivityContext context, ActivityStimulus stimulus, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(stimulus);
        var payload = stimulus.Payload as JsonObject ?? new JsonObject();
        var status = payload["status"]?.GetValue<string>() ?? "Faulted";
        if (status == "Completed")
            return ValueTask.FromResult(ActivityOutcome.Complete(payload["outputs"] as JsonObject is { } o ? (JsonObject)o.DeepClone() : new JsonObject()));
        var fault = payload["fault"]?.GetValue<string>() ?? status.ToLowerInvariant();
        var message = $"sub-workflow '{context.Bind<With>().Workflow}' ({context.State["childId"]}) {status.ToLowerInvariant()}: {fault}";
        return ValueTask.FromResult(ActivityOutcome.Fault(message, status == "Cancelled" ? "ChildCancelled" : "ChildFaulted"));
    }

    public override ValueTask AbandonAsync(ActivityContext context, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.State["childId"]?.GetValue<string>() is { } childId)
        {
            context.SendCommand(EngineDestinations.Engine, EngineDestinations.CancelWorkflow, new JsonObject
            {
                ["instanceId"] = childId,
                ["reason"] = $"parent step {context.StepPath} abandoned: {reason}",
            });
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>call's inputs.</summary>
    private sealed record With(
        [property: Input("The child workflow's name.", Required = true)] string Workflow,
        [property: Input("The child's inputs.", DefaultJson = "{}")] JsonObject Inputs,
        [property: Input("The child's correlation id.")] string? CorrelationId);
}
