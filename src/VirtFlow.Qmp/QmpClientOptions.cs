using Microsoft.Extensions.Logging;

namespace VirtFlow.Qmp;

/// <summary>Settings of a <see cref="QmpClient"/>.</summary>
public sealed class QmpClientOptions
{
    /// <summary>Timeout of a command that does not give its own. Default 30 s.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for the socket connect, the greeting and capabilities negotiation. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many recent events are kept for replay. Default 256.</summary>
    public int EventHistoryCapacity { get; init; } = 256;

    /// <summary>Default bound of each listener's queue; overflowing it closes that listener. Default 1024.</summary>
    public int EventListenerCapacity { get; init; } = 1024;

    /// <summary>The longest accepted message. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Optional logger.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock for timeouts and event receive times. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (DefaultTimeout <= TimeSpan.Zero && DefaultTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(DefaultTimeout), DefaultTimeout, "must be positive or infinite");
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        ArgumentOutOfRangeException.ThrowIfNegative(EventHistoryCapacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(EventListenerCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
