using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VirtFlow.Qmp.Tests;

/// <summary>One client connection of a <see cref="QgaFakeAgent"/>: reads requests, writes replies as qemu-ga does.</summary>
internal sealed class QgaFakeConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly QgaFakeAgent _agent;
    private readonly List<byte> _pending = [];

    public QgaFakeConnection(Socket socket, QgaFakeAgent agent)
    {
        _socket = socket;
        _agent = agent;
    }

    /// <summary>True when the client has sent bytes that no <see cref="ReadRequestAsync"/> consumed yet.</summary>
    public bool HasUnreadInput => _pending.Count > 0 || _socket.Available > 0;

    /// <summary>The next request (its command recorded in <see cref="QgaFakeAgent.Received"/>), or null when the client left.</summary>
    public async Task<JsonObject?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int newline;
        while ((newline = _pending.IndexOf((byte)'\n')) < 0)
        {
            var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (n == 0) return null;
            _pending.AddRange(buffer.AsSpan(0, n));
        }
        var line = _pending.GetRange(0, newline).ToArray();
        _pending.RemoveRange(0, newline + 1);
        var request = JsonNode.Parse(line)!.AsObject();
        lock (_agent.Received) _agent.Received.Add((string)request["execute"]!);
        return request;
    }

    /// <summary>Reads a request that must be <c>guest-sync-delimited</c>; answers it (0xFF, then the echo); false when the client left.</summary>
    public async Task<bool> AnswerSyncAsync(CancellationToken cancellationToken)
    {
        var request = await ReadRequestAsync(cancellationToken);
        if (request is null) return false;
        if ((string?)request["execute"] != "guest-sync-delimited")
            throw new InvalidOperationException("expected guest-sync-delimited, got " + request.ToJsonString());
        await SendDelimitedAsync($$"""{"return": {{request["arguments"]!["id"]!.ToJsonString()}}}""", cancellationToken);
        return true;
    }

    /// <summary>Sends one reply line.</summary>
    public Task SendAsync(string json, CancellationToken cancellationToken) => WriteAsync(Encoding.UTF8.GetBytes(json + "\n"), cancellationToken);

    /// <summary>Sends 0xFF and a reply line, as qemu-ga answers <c>guest-sync-delimited</c>.</summary>
    public Task SendDelimitedAsync(string json, CancellationToken cancellationToken) =>
        WriteAsync([0xFF, .. Encoding.UTF8.GetBytes(json + "\n")], cancellationToken);

    /// <summary>Closes the connection now.</summary>
    public void Close() => _socket.Close();

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken) =>
        await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
