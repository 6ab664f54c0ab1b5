using System.Diagnostics;
using Jint;

namespace VirtFlow.Engine.Expressions.Sandbox;

/// <summary>
/// The time limit of one evaluation, as a Jint constraint (checked every few thousand statements, reset
/// by Jint at the start of every call). Off until <see cref="Enabled"/>: the engine's own set-up (freezing
/// the built-ins, slow in a cold process) is not an evaluation. (Memory is Jint's own limit, which also
/// counts strings built lazily by concatenation; the set-up allocates about 3 MB, well under it.)
/// </summary>
internal sealed class SandboxLimits : Constraint
{
    private readonly long _timeoutTicks;
    private long _startTicks;
    private volatile bool _aborted;

    public SandboxLimits(TimeSpan timeout) =>
        _timeoutTicks = timeout <= TimeSpan.Zero ? long.MaxValue : (long)(timeout.TotalSeconds * Stopwatch.Frequency);

    public bool Enabled { get; set; }

    public override bool IsAmortizable => true;

    public override void Check()
    {
        if (!Enabled)
            return;
        if (_aborted || Stopwatch.GetTimestamp() - _startTicks > _timeoutTicks)
            throw new SandboxLimitException(SandboxLimit.Time);
    }

    public override void Reset() => _startTicks = Stopwatch.GetTimestamp();

    /// <summary>Makes the next check fail (from any thread): the watchdog gave up on this engine's evaluation.</summary>
    public void Abort() => _aborted = true;
}

/// <summary>Which of the sandbox's own limits an evaluation hit.</summary>
internal enum SandboxLimit
{
    Time,
    Statements,
    Memory,
}

/// <summary>An evaluation ran out of time or statements, or was about to make a string past the memory limit.</summary>
internal sealed class SandboxLimitException(SandboxLimit limit) : Exception($"the {limit.ToString().ToLowerInvariant()} limit was hit")
{
    public SandboxLimit Limit { get; } = limit;
}
