using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

public sealed partial class QmpClient
{
    /// <inheritdoc />
    public async Task<JsonNode> ExecuteAsync(string command, JsonObject? arguments = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var limit = timeout ?? _options.DefaultTimeout;
        if (limit <= TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), limit, "must be positive or infinite");
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfNotRunning(command);

        var id = "vf-" + Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var payload = Serialize(command, arguments, id);
        var pending = new PendingCommand(command);
        _pending[id] = pending;
        // A disconnect that raced with the registration above has already swept _pending: fail this one ourselves.
        if (State == QmpClientState.Disconnected) FailAsDisconnected(pending);

        using var timeoutCts = limit == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(limit, _time);
        using var linked = timeoutCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            if (!pending.Task.IsCompleted)
            {
                Log.CommandSent(_logger, _endpoint, command, id);
                await SendAsync(payload, pending, token).ConfigureAwait(false);
            }
            return await pending.Task.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeoutCts?.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
        {
            Log.CommandTimedOut(_logger, _endpoint, command, id, limit);
            throw new QmpException(QmpErrorClasses.Timeout, $"no reply within {limit.TotalSeconds:0.###} s", command);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Surface the caller's own token (the wait ran on a linked one). The command may still run in QEMU.
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> payload, PendingCommand pending, CancellationToken token)
    {
        try
        {
            await _transport.WriteLineAsync(payload, token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            pending.TrySetException(new QmpException(QmpErrorClasses.Disconnected, "connection lost while sending: " + e.Message, pending.Command, e));
        }
    }

    private void ThrowIfNotRunning(string command)
    {
        if (State == QmpClientState.Running) return;
        var reason = DisconnectReason;
        throw new QmpException(QmpErrorClasses.Disconnected, reason?.Description ?? "not connected", command);
    }

    private void FailAsDisconnected(PendingCommand pending)
    {
        var reason = DisconnectReason;
        pending.TrySetException(new QmpException(reason?.ErrorClass ?? QmpErrorClasses.Disconnected,
            reason?.Description ?? "not connected", pending.Command));
    }

    private static ReadOnlyMemory<byte> Serialize(string command, JsonObject? arguments, string id)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + command.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", command);
            if (arguments is not null)
            {
                writer.WritePropertyName("arguments");
                arguments.WriteTo(writer);
            }
            writer.WriteString("id", id);
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }
}
