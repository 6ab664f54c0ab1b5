namespace VirtFlow.Engine.Expressions;

/// <summary>The sandbox limits and caches of <see cref="JintExpressionEvaluator"/>. Limits apply to each evaluation.</summary>
public sealed record JintExpressionOptions
{
    /// <summary>Wall-clock time one evaluation may take (default 1 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Memory one evaluation may allocate (default 16 MB).</summary>
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
}
