using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Outbox;

/// <summary>
/// Sends committed commands (outbox rows) to their destination: a host worker's queue, another service.
/// Called at least once per message, possibly more (after a crash, or a send whose confirmation was lost);
/// receivers drop duplicates by <see cref="OutboxMessage.Id"/>. Throw to make the engine retry later.
/// </summary>
public interface IOutboxTransport
{
    Task SendAsync(OutboxMessage message, CancellationToken ct);
}
