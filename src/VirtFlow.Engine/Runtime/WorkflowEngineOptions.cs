namespace VirtFlow.Engine.Runtime;

/// <summary>Settings of a <see cref="WorkflowEngine"/>. Every interval is measured on the engine's <see cref="TimeProvider"/>.</summary>
public sealed record WorkflowEngineOptions
{
    /// <summary>Names this engine in leases and logs; unique per process.</summary>
    public string EngineId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long a running instance's claim holds without a checkpoint; an expired one marks an orphan.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an event nobody waits for yet is kept in the inbox (docs/rules.md#r4-early-events).</summary>
    public TimeSpan InboxEventTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long consumed inbox events are kept (for de-duplication of late duplicates).</summary>
    public TimeSpan ConsumedInboxRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Longest sleep of the timer loop (timers committed by other processes are seen this late at most).</summary>
    public TimeSpan TimerPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often unmatched inbox events are matched against bookmarks created elsewhere.</summary>
    public TimeSpan InboxSweepInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often orphaned instances (expired lease) are looked for.</summary>
    public TimeSpan OrphanRecoveryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often undispatched outbox messages are retried.</summary>
    public TimeSpan OutboxSweepInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry delay of a failed outbox send; doubles per failure up to <see cref="OutboxRetryMaxDelay"/>.</summary>
    public TimeSpan OutboxRetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan OutboxRetryMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the inbox is purged of expired and old consumed events.</summary>
    public TimeSpan InboxPurgeInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a stimulus is retried when another engine changed the instance meanwhile.</summary>
    public int ConcurrencyRetries { get; init; } = 8;

    /// <summary>Rows fetched per pass of a background sweep.</summary>
    public int BatchSize { get; init; } = 200;

    /// <summary>Instances resumed at once by a background pass.</summary>
    public int MaxConcurrentResumes { get; init; } = Math.Max(2, Environment.ProcessorCount * 2);

    /// <summary>Guard against a definition whose walk never settles (a bug): structural passes per scheduler turn.</summary>
    public int MaxWalkPasses { get; init; } = 10_000;

    /// <summary>
    /// The largest inputs an instance may start with, all inputs together as compact JSON in UTF-8 (default 1 MiB). Larger
    /// inputs are refused with a <see cref="WorkflowInputException"/> before anything is stored.
    /// </summary>
    public long MaxInputBytes { get; init; } = 1024 * 1024;

    /// <summary>Throws <see cref="ArgumentException"/> for a nonsensical setting.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(EngineId);
        Positive(LeaseDuration, nameof(LeaseDuration));
        Positive(InboxEventTtl, nameof(InboxEventTtl));
        Positive(TimerPollInterval, nameof(TimerPollInterval));
        Positive(InboxSweepInterval, nameof(InboxSweepInterval));
        Positive(OrphanRecoveryInterval, nameof(OrphanRecoveryInterval));
        Positive(OutboxSweepInterval, nameof(OutboxSweepInterval));
        Positive(OutboxRetryBaseDelay, nameof(OutboxRetryBaseDelay));
        Positive(InboxPurgeInterval, nameof(InboxPurgeInterval));
        if (OutboxRetryMaxDelay < OutboxRetryBaseDelay)
            throw new ArgumentOutOfRangeException(nameof(OutboxRetryMaxDelay), OutboxRetryMaxDelay, "must be at least OutboxRetryBaseDelay");
        if (ConcurrencyRetries < 1) throw new ArgumentOutOfRangeException(nameof(ConcurrencyRetries), ConcurrencyRetries, "must be at least 1");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
        if (MaxConcurrentResumes < 1) throw new ArgumentOutOfRangeException(nameof(MaxConcurrentResumes), MaxConcurrentResumes, "must be at least 1");
        if (MaxInputBytes < 1024) throw new ArgumentOutOfRangeException(nameof(MaxInputBytes), MaxInputBytes, "must be at least 1024");
        if (MaxWalkPasses < 10) throw new ArgumentOutOfRangeException(nameof(MaxWalkPasses), MaxWalkPasses, "must be at least 10");
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
