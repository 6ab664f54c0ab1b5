namespace VirtFlow.Engine.Runtime;

/// <summary>No definition with this name (or hash) is known.</summary>
public sealed class WorkflowDefinitionNotFoundException(string nameOrHash)
    : WorkflowEngineException($"workflow definition '{nameOrHash}' not found")
{
    public string NameOrHash { get; } = nameOrHash;
}
