using VirtFlow.Engine.Runtime.State;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>Raised inside a run when a step cannot go on (a bad value where a duration or array was needed); becomes the step's fault.</summary>
internal sealed class StepFaultException(StepError error) : Exception(error.Message)
{
    public StepError Error { get; } = error;
}
