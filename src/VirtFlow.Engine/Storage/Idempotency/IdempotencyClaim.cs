namespace VirtFlow.Engine.Storage.Idempotency;

/// <summary>What <see cref="IIdempotencyStore.ClaimIdempotencyKeyAsync"/> found: <see cref="Claimed"/> when the given record now holds the key, else the one that already held it.</summary>
public sealed record IdempotencyClaim(bool Claimed, IdempotencyRecord Held);
