using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>
/// A QEMU guest-agent connection: one command in flight at a time (QGA replies carry no id). The typed
/// commands (<see cref="QgaCommands"/>) are extension methods on this interface, so a fake works with them too.
/// </summary>
public interface IQgaClient : IAsyncDisposable
{
    /// <summary>False once the connection has ended (peer closed, transport error, or dispose).</summary>
    bool IsConnected { get; }

    /// <summary>Why the connection ended, once it has.</summary>
    QmpException? DisconnectReason { get; }

    /// <summary>
    /// Sends <paramref name="command"/> and returns its <c>return</c> value (an empty object for <c>{}</c>).
    /// Calls queue behind each other; the wait in the queue counts against <paramref name="timeout"/>.
    /// Commands that reply nothing on success (<c>guest-shutdown</c>, <c>guest-suspend-*</c>) end in a timeout.
    /// </summary>
    /// <param name="command">The QGA command, e.g. <c>guest-fsfreeze-status</c>.</param>
    /// <param name="arguments">The <c>arguments</c> object, or null. Not modified.</param>
    /// <param name="timeout">How long to wait; null for the client's default, <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    /// <param name="cancellationToken">Cancels the wait (the command may still run in the guest); throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="QmpException">The agent's error (class and desc), or <see cref="QmpErrorClasses.Timeout"/>,
    /// <see cref="QmpErrorClasses.Disconnected"/>, <see cref="QmpErrorClasses.Protocol"/>.</exception>
    Task<JsonNode> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resynchronises the stream now with <c>guest-sync-delimited</c>: skips everything up to the agent's 0xFF
    /// delimiter and the reply echoing a fresh random id. Done automatically on connect and after a timed-out,
    /// cancelled or garbled call.
    /// </summary>
    Task SyncAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
