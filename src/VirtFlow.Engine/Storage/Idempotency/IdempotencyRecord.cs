namespace VirtFlow.Engine.Storage.Idempotency;

/// <summary>
/// One idempotency key: <see cref="Caller"/> (the API key's name) and <see cref="Key"/> name the instance
/// <see cref="InstanceId"/> until <see cref="ExpiresAt"/>; <see cref="RequestHash"/> is the hash of the request it
/// was claimed with (the same key with another request is refused).
/// </summary>
public sealed record IdempotencyRecord
{
    public required string Caller { get; init; }
    public required string Key { get; init; }
    public required string RequestHash { get; init; }
    public required string InstanceId { get; init; }

    /// <summary>Left at default: the store's clock.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
