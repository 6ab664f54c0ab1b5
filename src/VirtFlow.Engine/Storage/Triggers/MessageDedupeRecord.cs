namespace VirtFlow.Engine.Storage.Triggers;

/// <summary>
/// One dedupe key of a message trigger: within <see cref="MessageType"/>, <see cref="Key"/> (<c>id:</c> and the AMQP
/// message_id, or <c>sha256:</c> and the body's hash) names the instance <see cref="InstanceId"/> until <see cref="ExpiresAt"/>.
/// </summary>
public sealed record MessageDedupeRecord
{
    public required string MessageType { get; init; }
    public required string Key { get; init; }
    public required string InstanceId { get; init; }

    /// <summary>Left at default: the store's clock.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
