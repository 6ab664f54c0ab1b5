namespace VirtFlow.Engine.Runtime;

/// <summary>The inputs given to a workflow do not match its declared inputs (missing, wrong type, not allowed).</summary>
public sealed class WorkflowInputException : WorkflowEngineException
{
    public WorkflowInputException(string workflow, IReadOnlyList<InputError> errors)
        : base($"invalid inputs for workflow '{workflow}': " + string.Join("; ", errors.Select(e => e.Message)))
    {
        Workflow = workflow;
        Errors = errors;
    }

    public string Workflow { get; }

    /// <summary>Every problem found, each naming its input.</summary>
    public IReadOnlyList<InputError> Errors { get; }

    /// <summary>The first input in error.</summary>
    public string InputName => Errors[0].Input;
}

/// <summary>One problem with one input.</summary>
public sealed record InputError(string Input, string Message);
