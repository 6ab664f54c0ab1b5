namespace VirtFlow.Engine.Storage.Limits;

/// <summary>The answer of <see cref="ICountedLimitStore.TryAcquireLimitAsync"/>.</summary>
/// <param name="Acquired">Whether the caller holds a slot now.</param>
/// <param name="Holders">The live holders after the attempt (the caller among them when acquired), oldest first.</param>
public sealed record LimitClaim(bool Acquired, IReadOnlyList<LimitHolder> Holders);
