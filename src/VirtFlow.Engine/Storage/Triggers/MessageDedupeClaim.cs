namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>What <see cref="IMessageDedupeStore.ClaimMessageKeyAsync"/> found: <see cref="Claimed"/> when the given record now holds the key, else the one that already held it.</summary>
public sealed record MessageDedupeClaim(bool Claimed, MessageDedupeRecord Held);
