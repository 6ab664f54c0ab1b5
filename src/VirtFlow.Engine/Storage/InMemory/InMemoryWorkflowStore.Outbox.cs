namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, (long Seq, OutboxMessage Message)> _outbox = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(DateTimeOffset CreatedAt, long Seq), string> _pendingOutbox = new();
    private long _outboxSeq;

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxMessage>> GetPendingOutboxAsync(int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxMessage> result = _pendingOutbox.Values
                .Take(limit)
                .Select(id => CopyOut(_outbox[id].Message))
                .ToList();
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task MarkOutboxDispatchedAsync(string messageId, DateTimeOffset at, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_outbox.TryGetValue(messageId, out var entry) && entry.Message.DispatchedAt is null)
            {
                _pendingOutbox.Remove((entry.Message.CreatedAt, entry.Seq));
                _outbox[messageId] = (entry.Seq, entry.Message with { DispatchedAt = StoreTime.Normalize(at) });
            }
            return Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    public Task MarkOutboxFailedAsync(string messageId, string error, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (_outbox.TryGetValue(messageId, out var entry))
                _outbox[messageId] = (entry.Seq, entry.Message with { Attempts = entry.Message.Attempts + 1, LastError = error });
            return Task.CompletedTask;
        }
    }

    /// <summary>Queues a message (under the lock); an id already queued keeps its first row (a replay re-queues the same command).</summary>
    private void AddOutbox(OutboxMessage given, DateTimeOffset now)
    {
        if (_outbox.ContainsKey(given.Id)) return;
        var m = given with
        {
            Payload = Copy(given.Payload),
            CreatedAt = given.CreatedAt == default ? now : StoreTime.Normalize(given.CreatedAt),
            DispatchedAt = StoreTime.Normalize(given.DispatchedAt),
        };
        var seq = ++_outboxSeq;
        _outbox[m.Id] = (seq, m);
        if (m.DispatchedAt is null) _pendingOutbox[(m.CreatedAt, seq)] = m.Id;
    }

    private static OutboxMessage CopyOut(OutboxMessage m) => m with { Payload = Copy(m.Payload) };
}
