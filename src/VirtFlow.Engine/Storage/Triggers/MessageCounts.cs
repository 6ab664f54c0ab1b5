namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>How many messages of <see cref="MessageType"/> were accepted, duplicates and rejected (every server on the store).</summary>
public sealed record MessageCounts(string MessageType, long Accepted, long Duplicate, long Rejected);
