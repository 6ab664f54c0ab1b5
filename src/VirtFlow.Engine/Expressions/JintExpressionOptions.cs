using System.Globalization;
using VirtFlow.Engine.Definitions;

namespace VirtFlow.Engine.Expressions;

/// <summary>
/// The sandbox limits and caches of <see cref="JintExpressionEvaluator"/>. Limits apply to each evaluation (one expression,
/// one script, or converting one result to JSON). Hosts set them from configuration section <c>VirtFlow:Scripts</c>.
/// </summary>
public sealed record JintExpressionOptions
{
    /// <summary>Wall-clock time one evaluation may take (default 1 s). A watchdog ends it at this plus <see cref="WatchdogMargin"/> at the latest.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long past <see cref="Timeout"/> the caller waits for an evaluation stuck where the engine's own (cooperative)
    /// check cannot stop it, e.g. one long native call; then the evaluation faults with the time limit and its engine is
    /// abandoned (default 250 ms).
    /// </summary>
    public TimeSpan WatchdogMargin { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Memory one evaluation may allocate (default 16 MB, at least 4 MB). No single string may grow past half of it in
    /// characters (UTF-16), nor an array past an eighth of it in elements.
    /// </summary>
    public long MemoryLimitBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>Deepest JavaScript call depth (default 64).</summary>
    public int MaxRecursionDepth { get; init; } = 64;

    /// <summary>
    /// Statements one evaluation may run (default 20 million: a backstop that a normal machine does not
    /// reach before <see cref="Timeout"/>); 0 for no limit.
    /// </summary>
    public int MaxStatements { get; init; } = 20_000_000;

    /// <summary>How many compiled expressions and scripts are kept (per evaluator, and per thread's engine).</summary>
    public int CacheCapacity { get; init; } = 4096;

    /// <summary>The clock of <c>now()</c>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The longest array: <see cref="MemoryLimitBytes"/> / 8 elements (one reference each).</summary>
    internal uint MaxArrayLength => (uint)Math.Clamp(MemoryLimitBytes / 8, 1024, uint.MaxValue);

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentException">The first bad limit, named as in configuration (<c>VirtFlow:Scripts:NAME</c>).</exception>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromDays(1))
            throw new ArgumentException($"VirtFlow:Scripts:Timeout must be between 1ms and 24h (was {Text(Timeout)})", nameof(Timeout));
        if (WatchdogMargin < TimeSpan.Zero || WatchdogMargin > TimeSpan.FromMinutes(1))
            throw new ArgumentException($"VirtFlow:Scripts:WatchdogMargin must be between 0s and 1m (was {Text(WatchdogMargin)})", nameof(WatchdogMargin));
        if (MemoryLimitBytes < 4L * 1024 * 1024)
            throw new ArgumentException($"VirtFlow:Scripts:MemoryLimitBytes must be at least 4194304 (4 MB; was {MemoryLimitBytes.ToString(CultureInfo.InvariantCulture)})", nameof(MemoryLimitBytes));
        if (MaxRecursionDepth < 1)
            throw new ArgumentException($"VirtFlow:Scripts:MaxRecursionDepth must be at least 1 (was {MaxRecursionDepth.ToString(CultureInfo.InvariantCulture)})", nameof(MaxRecursionDepth));
        if (MaxStatements < 0)
            throw new ArgumentException($"VirtFlow:Scripts:MaxStatements must be 0 (no limit) or more (was {MaxStatements.ToString(CultureInfo.InvariantCulture)})", nameof(MaxStatements));
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static string Text(TimeSpan value) => value < TimeSpan.Zero ? "-" + Duration.Format(-value) : Duration.Format(value);
}
