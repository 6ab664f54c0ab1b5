using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Runtime;

/// <summary>Where the engine finds definitions: by name (for <c>call</c> and triggers) and by hash (to resume an instance).</summary>
public interface IWorkflowDefinitionProvider
{
    /// <summary>The latest definition named <paramref name="name"/>, or null.</summary>
    ValueTask<WorkflowDefinition?> FindByNameAsync(string name, CancellationToken ct);

    /// <summary>The exact definition with this hash (the one an instance started with), or null.</summary>
    ValueTask<WorkflowDefinition?> FindByHashAsync(string hash, CancellationToken ct);
}
