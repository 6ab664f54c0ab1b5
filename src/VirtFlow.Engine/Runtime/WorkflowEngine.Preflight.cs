using System.Text.Json.Nodes;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime.Support;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime;

// What a dry run asks of the engine without starting anything.
public sealed partial class WorkflowEngine
{
    /// <summary>The inputs as a start would take them (checked, defaults filled in), or <see cref="WorkflowInputException"/>.</summary>
    public JsonObject ValidateInputs(WorkflowDefinition definition, JsonObject? inputs)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return InputValidator.Validate(definition, inputs ?? new JsonObject(), _options.MaxInputBytes);
    }

    /// <summary>The Running or Suspended instance holding <paramref name="lockKey"/>, or null (also when the store keeps no locks).</summary>
    public Task<string?> FindLockHolderAsync(string lockKey, CancellationToken ct = default) =>
        _store is IInstanceLockStore locks ? locks.FindLockHolderAsync(lockKey, ct) : Task.FromResult<string?>(null);
}
