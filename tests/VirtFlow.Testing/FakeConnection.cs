using System.Net.Sockets;
using System.Text;

namespace VirtFlow.Testing;

/// <summary>One accepted connection of a <see cref="FakeSocketServer"/>: line reads and writes.</summary>
public sealed class FakeConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;

    internal FakeConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new StreamReader(_stream, Encoding.UTF8, false, 4096, leaveOpen: true);
    }

    /// <summary>Sends <paramref name="line"/> plus <c>\r\n</c>, as QEMU does.</summary>
    public async Task SendLineAsync(string line, CancellationToken cancellationToken = default)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <summary>The next line from the client, or null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken = default) =>
        await _reader.ReadLineAsync(cancellationToken);

    /// <summary>Sends the greeting and answers <c>qmp_capabilities</c> like QEMU; returns false if the client left.</summary>
    public async Task<bool> NegotiateAsync(CancellationToken cancellationToken = default)
    {
        await SendLineAsync(FakeSocketServer.QmpGreeting, cancellationToken);
        var line = await ReadLineAsync(cancellationToken);
        if (line is null) return false;
        var id = System.Text.Json.Nodes.JsonNode.Parse(line)?["id"]?.ToJsonString() ?? "null";
        await SendLineAsync($$"""{"return": {}, "id": {{id}}}""", cancellationToken);
        return true;
    }

    /// <summary>Closes the connection now.</summary>
    public void Close() => _socket.Close();

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
    }
}
