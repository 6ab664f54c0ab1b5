using Microsoft.Extensions.Logging;

namespace VirtFlow.Qmp;

/// <summary>Settings of a <see cref="QgaClient"/>.</summary>
public sealed class QgaClientOptions
{
    /// <summary>Timeout of a call that does not give its own. Default 10 s.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for the socket connect and the first <c>guest-sync-delimited</c>. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest accepted reply. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Optional logger.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock for timeouts. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        if (DefaultTimeout <= TimeSpan.Zero && DefaultTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(DefaultTimeout), DefaultTimeout, "must be positive or infinite");
        if (ConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), ConnectTimeout, "must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageBytes, 1024);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
