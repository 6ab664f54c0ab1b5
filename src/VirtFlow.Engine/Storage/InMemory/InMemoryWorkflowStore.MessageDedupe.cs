using VirtFlow.Engine.Storage.Triggers;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IMessageDedupeStore
{
    private readonly Dictionary<(string Type, string Key), MessageDedupeRecord> _messageKeys = [];
    private readonly Dictionary<(string Type, string Outcome), long> _messageCounts = [];

    /// <inheritdoc />
    public Task<MessageDedupeClaim> ClaimMessageKeyAsync(MessageDedupeRecord claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var now = Now;
        lock (_gate)
        {
            if (_messageKeys.TryGetValue((claim.MessageType, claim.Key), out var held) && held.ExpiresAt > now)
                return Task.FromResult(new MessageDedupeClaim(false, held));
            var stored = claim with { CreatedAt = StoreTime.OrNow(claim.CreatedAt, _time), ExpiresAt = StoreTime.Normalize(claim.ExpiresAt) };
            _messageKeys[(claim.MessageType, claim.Key)] = stored;
            return Task.FromResult(new MessageDedupeClaim(true, stored));
        }
    }

    /// <inheritdoc />
    public Task ReleaseMessageKeyAsync(string messageType, string key, string instanceId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_messageKeys.TryGetValue((messageType, key), out var held) && held.InstanceId == instanceId) _messageKeys.Remove((messageType, key));
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredMessageKeysAsync(CancellationToken ct = default)
    {
        var now = Now;
        lock (_gate)
        {
            var expired = _messageKeys.Where(kv => kv.Value.ExpiresAt <= now).Select(kv => kv.Key).ToList();
            foreach (var key in expired) _messageKeys.Remove(key);
            return Task.FromResult(expired.Count);
        }
    }

    /// <inheritdoc />
    public Task CountMessageAsync(string messageType, MessageOutcome outcome, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var key = (messageType, MessageCountsRows.Name(outcome));
            _messageCounts[key] = _messageCounts.GetValueOrDefault(key) + 1;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MessageCounts>> ListMessageCountsAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            return Task.FromResult(MessageCountsRows.Fold(_messageCounts.Select(kv => (kv.Key.Type, kv.Key.Outcome, kv.Value)).ToList()));
        }
    }
}
