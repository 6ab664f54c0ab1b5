using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>How a run ended: the instance's status, and what became of the stimuli it was given.</summary>
internal sealed record RunResult(InstanceStatus? Status, int Accepted, int Rejected, bool Busy = false)
{
    public static readonly RunResult NotFound = new(null, 0, 0);
    public static readonly RunResult BusyElsewhere = new(null, 0, 0, Busy: true);
}
