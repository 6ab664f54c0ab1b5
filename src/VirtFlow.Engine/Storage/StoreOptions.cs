namespace VirtFlow.Engine.Storage;

/// <summary>Settings shared by the stores; the SQLite-only ones are ignored by the others.</summary>
public sealed record StoreOptions
{
    /// <summary>The clock for default timestamps, expiry ("unexpired" inbox events) and consumption times.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// SQLite <c>synchronous</c> in WAL mode. <see cref="SqliteSynchronous.Normal"/> (default) never corrupts the
    /// file, but a power loss or OS crash (not a process crash) can lose the last commits; <see cref="SqliteSynchronous.Full"/>
    /// fsyncs every commit and loses nothing, at the cost of one fsync per commit.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; init; } = SqliteSynchronous.Normal;

    /// <summary>How long a SQLite statement waits for another writer (another process on the same file) before failing.</summary>
    public TimeSpan SqliteBusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Open SQLite connections kept for reuse (readers run in parallel under WAL).</summary>
    public int SqliteMaxPooledConnections { get; init; } = 8;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(TimeProvider);
        if (SqliteBusyTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(SqliteBusyTimeout), SqliteBusyTimeout, "must not be negative");
        if (SqliteMaxPooledConnections < 1)
            throw new ArgumentOutOfRangeException(nameof(SqliteMaxPooledConnections), SqliteMaxPooledConnections, "must be at least 1");
    }
}
