using System.Collections.Concurrent;
using VirtFlow.Engine.Storage;

namespace VirtFlow.Engine.Runtime.Outbox;

/// <summary>
/// Routes commands by <see cref="OutboxMessage.Destination"/> to handlers registered in this process
/// (tests, embedded mode). A message for a destination nobody handles fails the send, so the engine
/// retries it later (a handler may register after the command was committed).
/// </summary>
public sealed class InProcessOutboxTransport : IOutboxTransport
{
    private readonly ConcurrentDictionary<string, Func<OutboxMessage, CancellationToken, Task>> _handlers = new(StringComparer.Ordinal);

    /// <summary>Handles every message sent to <paramref name="destination"/>; replaces an earlier handler.</summary>
    public InProcessOutboxTransport Register(string destination, Func<OutboxMessage, CancellationToken, Task> handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(handler);
        _handlers[destination] = handler;
        return this;
    }

    /// <summary>Stops handling <paramref name="destination"/>.</summary>
    public bool Unregister(string destination) => _handlers.TryRemove(destination, out _);

    /// <inheritdoc />
    public Task SendAsync(OutboxMessage message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _handlers.TryGetValue(message.Destination, out var handler)
            ? handler(message, ct)
            : throw new InvalidOperationException($"no in-process handler for destination '{message.Destination}' (command {message.MessageType} {message.Id})");
    }
}
