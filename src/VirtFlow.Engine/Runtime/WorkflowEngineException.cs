namespace VirtFlow.Engine.Runtime;

/// <summary>Base of the engine's own errors (bad inputs, unknown definitions, engine misuse).</summary>
public class WorkflowEngineException : Exception
{
    public WorkflowEngineException(string message, Exception? inner = null) : base(message, inner) { }
}
