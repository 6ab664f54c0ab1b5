using System.Runtime.CompilerServices;

namespace VirtFlow.Qmp;

/// <summary>Event conveniences over <see cref="IQmpClient.Subscribe"/>.</summary>
public static class QmpEventExtensions
{
    /// <summary>
    /// Events matching <paramref name="filter"/> as an async stream. Listening starts when enumeration starts
    /// (the first <c>MoveNextAsync</c>): to catch events of a command you are about to send, use
    /// <see cref="IQmpClient.Subscribe"/> first. Throws <see cref="QmpException"/> (<see cref="QmpErrorClasses.Disconnected"/>)
    /// when the connection ends.
    /// </summary>
    public static async IAsyncEnumerable<QmpEvent> Events(this IQmpClient client, Func<QmpEvent, bool>? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = client.Subscribe(filter);
        await foreach (var evt in subscription.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return evt;
    }

    /// <summary>
    /// The first event matching <paramref name="filter"/> after now, or after sequence <paramref name="replayAfter"/>
    /// (read <see cref="IQmpClient.EventSequence"/> before sending the command, so an event that arrives before this
    /// call still counts). Throws <see cref="QmpException"/>: <see cref="QmpErrorClasses.Timeout"/> or <see cref="QmpErrorClasses.Disconnected"/>.
    /// </summary>
    public static async Task<QmpEvent> WaitForEventAsync(this IQmpClient client, Func<QmpEvent, bool> filter, TimeSpan timeout, long? replayAfter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var subscription = client.Subscribe(filter, replayAfter);
        return await subscription.WaitAsync(null, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first event matching <paramref name="filter"/> from now on (see the overload with <c>replayAfter</c>).</summary>
    public static Task<QmpEvent> WaitForEventAsync(this IQmpClient client, Func<QmpEvent, bool> filter, TimeSpan timeout, CancellationToken cancellationToken) =>
        client.WaitForEventAsync(filter, timeout, null, cancellationToken);
}
