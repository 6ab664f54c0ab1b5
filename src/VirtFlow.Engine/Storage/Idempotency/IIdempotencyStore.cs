namespace VirtFlow.Engine.Storage.Idempotency;

/// <summary>
/// Idempotency keys of starts (the <c>Idempotency-Key</c> header): per caller, a key names one instance id until it
/// expires. Claiming is atomic in the store (a primary key on caller + key), so two servers that receive the same
/// repeat at once agree on one instance id; starting an instance with a given id is itself idempotent, so they start
/// one instance. Implemented by the SQLite, PostgreSQL and in-memory stores.
/// </summary>
public interface IIdempotencyStore
{
    /// <summary>
    /// Stores <paramref name="claim"/> unless an unexpired record (by the store's clock) holds the same caller and key;
    /// an expired one is replaced. Returns the record that holds the key now and whether it is the given one.
    /// </summary>
    Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyRecord claim, CancellationToken ct = default);

    /// <summary>Forgets the key when it still names <paramref name="instanceId"/> (the start it was claimed for was refused).</summary>
    Task ReleaseIdempotencyKeyAsync(string caller, string key, string instanceId, CancellationToken ct = default);
}
