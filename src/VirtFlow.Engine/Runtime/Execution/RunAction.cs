namespace VirtFlow.Engine.Runtime.Execution;

/// <summary>Why a run of an instance starts: nothing special (start), stimuli, recovery of an orphan, or cancellation.</summary>
internal abstract record RunAction
{
    public static readonly RunAction Continue = new ContinueAction();
    public static readonly RunAction Recover = new RecoverAction();

    public sealed record ContinueAction : RunAction;

    public sealed record RecoverAction : RunAction;

    public sealed record Deliver(IReadOnlyList<StimulusRequest> Stimuli) : RunAction;

    public sealed record Cancel(string Reason) : RunAction;
}
