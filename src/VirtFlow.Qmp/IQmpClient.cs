using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>
/// A negotiated QMP connection: commands matched to replies by id, and one event stream. The typed helpers
/// (<see cref="QmpQueryCommands"/>, <see cref="QmpBlockCommands"/>, <see cref="QmpMachineCommands"/>,
/// <see cref="QmpEventExtensions"/>) are extension methods on this interface, so a fake works with them too.
/// </summary>
public interface IQmpClient : IAsyncDisposable
{
    /// <summary>The connection's state; it only moves forward.</summary>
    QmpClientState State { get; }

    /// <summary>QEMU's greeting (version and capabilities).</summary>
    QmpGreeting Greeting { get; }

    /// <summary>Completes (never faults) when the connection has ended, for whatever reason.</summary>
    Task Disconnected { get; }

    /// <summary>Why the connection ended, once it has.</summary>
    QmpException? DisconnectReason { get; }

    /// <summary>The sequence number of the last event received (0 before the first); see <see cref="QmpEvent.Sequence"/>.</summary>
    long EventSequence { get; }

    /// <summary>
    /// Sends <paramref name="command"/> and returns its <c>return</c> value (an empty object for <c>{}</c>).
    /// Many calls may run at once; each reply is matched by a unique id.
    /// </summary>
    /// <param name="command">The QMP command, e.g. <c>query-status</c>.</param>
    /// <param name="arguments">The <c>arguments</c> object, or null. Not modified nor re-parented.</param>
    /// <param name="timeout">How long to wait for the reply; null for the client's default, <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait (the command may still run in QEMU); throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="QmpException">QEMU's error (class and desc), or <see cref="QmpErrorClasses.Timeout"/>, <see cref="QmpErrorClasses.Disconnected"/>.</exception>
    Task<JsonNode> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts an event listener (see <see cref="QmpEventHub.Subscribe"/>). Subscribe before sending the command whose
    /// events you need, or pass <paramref name="replayAfter"/> = an <see cref="EventSequence"/> read before it.
    /// </summary>
    QmpEventSubscription Subscribe(Func<QmpEvent, bool>? filter = null, long? replayAfter = null, int? capacity = null);
}
