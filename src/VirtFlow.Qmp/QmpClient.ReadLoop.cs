using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

public sealed partial class QmpClient
{
    /// <summary>The only reader after negotiation: dispatches replies by id and publishes events; never blocks on a listener.</summary>
    private async Task ReadLoopAsync()
    {
        QmpException reason;
        try
        {
            while (true)
            {
                var line = await _transport.ReadLineAsync(_stopReading.Token).ConfigureAwait(false);
                if (line is null)
                {
                    reason = new QmpException(QmpErrorClasses.Disconnected, "connection closed by QEMU");
                    break;
                }
                Dispatch(line);
            }
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
            reason = new QmpException(QmpErrorClasses.Disconnected, "the client was disposed");
        }
        catch (QmpException e)
        {
            reason = e;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            reason = new QmpException(QmpErrorClasses.Disconnected, "connection lost: " + e.Message, inner: e);
        }
        OnDisconnected(reason);
    }

    private void Dispatch(byte[] line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, "QEMU sent a line that is not JSON: " + Preview(line));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                Log.UnknownMessage(_logger, _endpoint, Preview(line));
                return;
            }
            if (root.TryGetProperty("event", out var name) && name.ValueKind == JsonValueKind.String)
            {
                PublishEvent(root, name.GetString()!);
                return;
            }
            var hasReturn = root.TryGetProperty("return", out var result);
            var hasError = root.TryGetProperty("error", out var error);
            if (!hasReturn && !hasError)
            {
                Log.UnknownMessage(_logger, _endpoint, Preview(line));
                return;
            }
            if (!root.TryGetProperty("id", out var idElement))
            {
                Log.ReplyWithoutId(_logger, _endpoint, Preview(line));
                return;
            }
            // Our ids are strings; anything else (a number, an id of an abandoned call) is never given to another caller.
            var id = idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : idElement.GetRawText();
            if (!_pending.TryRemove(id, out var pending))
            {
                Log.UnmatchedReply(_logger, _endpoint, id);
                return;
            }
            if (hasError)
                pending.TrySetException(ToException(error, pending.Command));
            else
                pending.TrySetResult(JsonSerializer.Deserialize<JsonNode>(result) ?? new JsonObject());
        }
    }

    private void PublishEvent(JsonElement root, string name)
    {
        var data = root.TryGetProperty("data", out var d) ? d.Clone() : default;
        var timestamp = _time.GetUtcNow();
        if (root.TryGetProperty("timestamp", out var ts) && ts.ValueKind == JsonValueKind.Object
            && ts.TryGetProperty("seconds", out var s) && s.TryGetInt64(out var seconds)
            && ts.TryGetProperty("microseconds", out var us) && us.TryGetInt64(out var micros)
            && seconds >= 0)
        {
            timestamp = DateTimeOffset.UnixEpoch.AddTicks(seconds * TimeSpan.TicksPerSecond + micros * 10);
        }
        var evt = _events.Publish(name, data, timestamp);
        Log.EventReceived(_logger, _endpoint, name, evt.Sequence);
    }

    private static QmpException ToException(JsonElement error, string command)
    {
        string Member(string key) =>
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : "";
        var errorClass = Member("class");
        return new QmpException(errorClass.Length == 0 ? "GenericError" : errorClass, Member("desc"), command);
    }
}
