namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore
{
    private readonly Dictionary<string, InboxEvent> _inbox = new(StringComparer.Ordinal);
    private readonly IdIndex _unconsumedByKey = new();

    /// <inheritdoc />
    public Task<bool> TryAddInboxEventAsync(InboxEvent inboxEvent, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inboxEvent);
        var now = Now;
        lock (_gate)
        {
            if (_inbox.ContainsKey(inboxEvent.Id)) return Task.FromResult(false);
            var e = inboxEvent with
            {
                Payload = StoreJson.Clone(inboxEvent.Payload),
                ReceivedAt = inboxEvent.ReceivedAt == default ? now : StoreTime.Normalize(inboxEvent.ReceivedAt),
                ExpiresAt = StoreTime.Normalize(inboxEvent.ExpiresAt),
                ConsumedAt = StoreTime.Normalize(inboxEvent.ConsumedAt),
            };
            _inbox[e.Id] = e;
            if (e.ConsumedAt is null) _unconsumedByKey.Add(e.Key, e.Id);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxEvent>> FindInboxEventsAsync(string key, CancellationToken ct = default)
    {
        var now = Now;
        lock (_gate)
        {
            IReadOnlyList<InboxEvent> result = _unconsumedByKey.TryGetValue(key, out var ids)
                ? Pending(ids.Select(id => _inbox[id]), now, int.MaxValue)
                : [];
            return Task.FromResult(result);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<InboxEvent>> FindMatchableInboxEventsAsync(int limit, CancellationToken ct = default)
    {
        var now = Now;
        lock (_gate)
        {
            var candidates = _unconsumedByKey.Entries()
                .Where(kv => _bookmarksByKey.ContainsKey(kv.Key))
                .SelectMany(kv => kv.Ids)
                .Select(id => _inbox[id]);
            return Task.FromResult(Pending(candidates, now, limit));
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeInboxAsync(DateTimeOffset now, DateTimeOffset olderThan, CancellationToken ct = default)
    {
        var at = StoreTime.Normalize(now);
        var before = StoreTime.Normalize(olderThan);
        lock (_gate)
        {
            var doomed = _inbox.Values.Where(e => e.ExpiresAt <= at || e.ConsumedAt < before).ToList();
            foreach (var e in doomed)
            {
                _inbox.Remove(e.Id);
                _unconsumedByKey.Remove(e.Key, e.Id);
            }
            return Task.FromResult(doomed.Count);
        }
    }

    /// <summary>Marks an event consumed (under the lock); an unknown or already consumed id is ignored.</summary>
    private void ConsumeInbox(string id, DateTimeOffset now)
    {
        if (!_inbox.TryGetValue(id, out var e) || e.ConsumedAt is not null) return;
        _inbox[id] = e with { ConsumedAt = now };
        _unconsumedByKey.Remove(e.Key, id);
    }

    private static IReadOnlyList<InboxEvent> Pending(IEnumerable<InboxEvent> events, DateTimeOffset now, int limit) =>
        events.Where(e => e.ExpiresAt > now)
            .OrderBy(e => e.ReceivedAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => e with { Payload = StoreJson.Clone(e.Payload) })
            .ToList();
}
