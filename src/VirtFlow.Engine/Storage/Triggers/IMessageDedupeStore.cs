namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>
/// What the message triggers keep in the store, shared by every server on it and kept across restarts: the dedupe keys
/// (per message type, a message id or body hash names one instance until it expires; claimed atomically on the primary
/// key, so two servers that receive the same message at once agree on one instance id) and the counts of accepted,
/// duplicate and rejected messages per message type. Implemented by the SQLite, PostgreSQL and in-memory stores.
/// </summary>
public interface IMessageDedupeStore
{
    /// <summary>
    /// Stores <paramref name="claim"/> unless an unexpired record (by the store's clock) holds the same message type and key;
    /// an expired one is replaced. Returns the record that holds the key now and whether it is the given one.
    /// </summary>
    Task<MessageDedupeClaim> ClaimMessageKeyAsync(MessageDedupeRecord claim, CancellationToken ct = default);

    /// <summary>Forgets the key when it still names <paramref name="instanceId"/> (the message was rejected after its claim).</summary>
    Task ReleaseMessageKeyAsync(string messageType, string key, string instanceId, CancellationToken ct = default);

    /// <summary>Deletes the keys that expired before now (by the store's clock); returns how many.</summary>
    Task<int> PurgeExpiredMessageKeysAsync(CancellationToken ct = default);

    /// <summary>Adds one to the count of <paramref name="outcome"/> for <paramref name="messageType"/>.</summary>
    Task CountMessageAsync(string messageType, MessageOutcome outcome, CancellationToken ct = default);

    /// <summary>The counts of every message type that has any.</summary>
    Task<IReadOnlyList<MessageCounts>> ListMessageCountsAsync(CancellationToken ct = default);
}
