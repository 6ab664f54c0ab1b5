using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IIdempotencyPurge
{
    /// <inheritdoc />
    public Task<int> PurgeExpiredIdempotencyKeysAsync(int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var now = Now;
        lock (_gate)
        {
            var expired = _idempotency.Where(p => p.Value.ExpiresAt <= now).OrderBy(p => p.Value.ExpiresAt).Take(limit).Select(p => p.Key).ToList();
            foreach (var key in expired) _idempotency.Remove(key);
            return Task.FromResult(expired.Count);
        }
    }
}
