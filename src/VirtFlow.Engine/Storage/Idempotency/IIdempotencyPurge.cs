namespace VirtFlow.Engine.Storage.Idempotency;

/// <summary>Forgets idempotency keys whose time has passed. Implemented by the SQLite, PostgreSQL and in-memory stores.</summary>
public interface IIdempotencyPurge
{
    /// <summary>Deletes at most <paramref name="limit"/> keys that expired by the store's clock; returns how many.</summary>
    Task<int> PurgeExpiredIdempotencyKeysAsync(int limit, CancellationToken ct = default);
}
