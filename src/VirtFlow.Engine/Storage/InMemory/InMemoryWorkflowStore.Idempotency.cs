using VirtFlow.Engine.Storage.Idempotency;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IIdempotencyStore
{
    private readonly Dictionary<(string Caller, string Key), IdempotencyRecord> _idempotency = [];

    /// <inheritdoc />
    public Task<IdempotencyClaim> ClaimIdempotencyKeyAsync(IdempotencyRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = Now;
        lock (_gate)
        {
            if (_idempotency.TryGetValue((claim.Caller, claim.Key), out var held) && held.ExpiresAt > now)
                return Task.FromResult(new IdempotencyClaim(false, held));
            var stored = claim with { CreatedAt = StoreTime.OrNow(claim.CreatedAt, _time), ExpiresAt = StoreTime.Normalize(claim.ExpiresAt) };
            _idempotency[(claim.Caller, claim.Key)] = stored;
            return Task.FromResult(new IdempotencyClaim(true, stored));
        }
    }

    /// <inheritdoc />
    public Task ReleaseIdempotencyKeyAsync(string caller, string key, string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_idempotency.TryGetValue((caller, key), out var held) && held.InstanceId == instanceId) _idempotency.Remove((caller, key));
        }
        return Task.CompletedTask;
    }
}
