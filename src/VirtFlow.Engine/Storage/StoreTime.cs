namespace VirtFlow.Engine.Storage;

/// <summary>
/// How every store keeps time: UTC, to the millisecond. SQLite stores Unix milliseconds (integers order and
/// compare exactly), PostgreSQL stores timestamptz; both round-trip the same value the in-memory store keeps.
/// </summary>
internal static class StoreTime
{
    /// <summary>Unix milliseconds of <paramref name="value"/> (sub-millisecond ticks are dropped).</summary>
    public static long ToUnixMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static long? ToUnixMs(DateTimeOffset? value) => value?.ToUnixTimeMilliseconds();

    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>The value as stored: UTC, truncated to the millisecond.</summary>
    public static DateTimeOffset Normalize(DateTimeOffset value) => FromUnixMs(ToUnixMs(value));

    public static DateTimeOffset? Normalize(DateTimeOffset? value) => value is { } v ? Normalize(v) : null;

    /// <summary><paramref name="value"/>, or the clock's now when it was left at its default.</summary>
    public static DateTimeOffset OrNow(DateTimeOffset value, TimeProvider time) =>
        Normalize(value == default ? time.GetUtcNow() : value);
}
