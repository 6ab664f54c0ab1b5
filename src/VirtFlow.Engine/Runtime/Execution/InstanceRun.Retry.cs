namespace VirtFlow.Engine.Runtime.Execution;

internal sealed partial class InstanceRun
{
    /// <summary>The attempt a path run again after a retry starts at (0: a first execution).</summary>
    private int TakeRetryAttempt(string path)
    {
        if (_state.RetryAttempts is not { } attempts || !attempts.Remove(path, out var attempt)) return 0;
        if (attempts.Count == 0) _state.RetryAttempts = null;
        return attempt;
    }
}
