namespace VirtFlow.Engine.Runtime.State;

internal static class StepStatusExtensions
{
    public static bool IsFinal(this StepStatus status) =>
        status is StepStatus.Completed or StepStatus.Faulted or StepStatus.Skipped or StepStatus.Cancelled;
}
