namespace VirtFlow.Engine.Tests.Storage;

/// <summary>A clock the test sets (timers, expiry and default timestamps become deterministic).</summary>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
