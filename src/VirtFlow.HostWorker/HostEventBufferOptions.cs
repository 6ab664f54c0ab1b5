namespace VirtFlow.HostWorker;

/// <summary>Settings of a <see cref="BufferedHostEventSink"/>.</summary>
public sealed class HostEventBufferOptions
{
    /// <summary>How long one publish attempt may take before it counts as failed and is retried. Default 10 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before retrying a failed publish; doubles up to <see cref="RetryMaxDelay"/>. Default 200 ms.</summary>
    public TimeSpan RetryMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest wait between attempts. Default 5 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long disposing waits for queued events to go out. Default 10 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Most events handed to the inner sink and not yet confirmed (the pipeline's window); 1 publishes one at a time,
    /// each after the previous one's confirmation. Default 16.
    /// </summary>
    public int MaxInFlight { get; set; } = 16;

    /// <summary>
    /// How long the oldest event handed over may go unconfirmed before nothing new is handed over until it is out. A
    /// publish made while the broker is away waits in MassTransit's own reconnect back-off (up to 30 s), each publish on
    /// its own timer, so events handed over during an outage would otherwise leave in any order once it is back, and a
    /// later one (a snapshot) could overtake an event of the outage. Default 2 s.
    /// </summary>
    public TimeSpan StallAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The clock of the retry delays. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (AttemptTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "must be positive");
        if (RetryMinDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryMinDelay), RetryMinDelay, "must be positive");
        if (RetryMaxDelay < RetryMinDelay) throw new ArgumentException("RetryMaxDelay is below RetryMinDelay", nameof(RetryMaxDelay));
        if (DrainTimeout < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(DrainTimeout), DrainTimeout, "must not be negative");
        if (StallAfter <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(StallAfter), StallAfter, "must be positive");
        if (MaxInFlight < 1) throw new ArgumentOutOfRangeException(nameof(MaxInFlight), MaxInFlight, "must be at least 1");
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
