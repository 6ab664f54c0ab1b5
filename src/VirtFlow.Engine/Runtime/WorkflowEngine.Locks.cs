using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Expressions;

namespace VirtFlow.Engine.Runtime;

public sealed partial class WorkflowEngine
{
    /// <summary>
    /// The key of the definition's <c>lock:</c> for these (validated) inputs, or null when it has none or it evaluates to
    /// null. The store refuses a second Running or Suspended holder (<see cref="WorkflowLockedException"/>).
    /// </summary>
    /// <exception cref="WorkflowEngineException">The lock's expression fails, or gives something other than text.</exception>
    public string? LockKey(WorkflowDefinition definition, JsonObject inputs, string instanceId, string? correlationId = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(inputs);
        if (definition.Lock is not { } template) return null;
        JsonNode? value;
        try
        {
            var scope = new ExpressionScope
            {
                Inputs = (JsonObject)inputs.DeepClone(),
                Instance = new JsonObject { ["id"] = instanceId, ["workflow"] = definition.Name, ["correlationId"] = correlationId },
                StepId = "lock",
            };
            value = _core.Evaluator.EvaluateTemplate(JsonValue.Create(template), scope);
        }
        catch (ExpressionException ex)
        {
            throw new WorkflowEngineException($"workflow '{definition.Name}': lock: {ex.Message}", ex);
        }
        if (value is null) return null;
        if (value is JsonValue v && v.TryGetValue<string>(out var key) && !string.IsNullOrWhiteSpace(key)) return key;
        throw new WorkflowEngineException($"workflow '{definition.Name}': lock '{template}' gives {Support.JsonSummary.Of(value, 80)}, not the text of a resource key");
    }

    private string? LockKey(WorkflowDefinition definition, JsonObject inputs, string id, StartOptions options) =>
        LockKey(definition, inputs, id, options.CorrelationId);
}
