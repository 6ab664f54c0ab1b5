using System.Net.Sockets;
using System.Text;

namespace VirtFlow.Testing;

/// <summary>
/// A unix-socket server whose behaviour a test scripts, for protocol cases a real QEMU will not produce on demand
/// (a peer that closes mid-call, sends garbage, or stays silent). Each accepted connection runs <c>handler</c>.
/// </summary>
public sealed class FakeSocketServer : IAsyncDisposable
{
    /// <summary>A QMP greeting as QEMU 7.2 sends it.</summary>
    public const string QmpGreeting = """{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}, "package": "fake"}, "capabilities": ["oob"]}}""";

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private readonly string _dir;

    private FakeSocketServer(string dir, Func<FakeConnection, CancellationToken, Task> handler)
    {
        _dir = dir;
        SocketPath = Path.Combine(dir, "fake.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(8);
        _acceptLoop = AcceptLoopAsync(handler);
    }

    /// <summary>The socket to connect to.</summary>
    public string SocketPath { get; }

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Starts listening on a fresh socket under <see cref="TestDirs.Root"/>.</summary>
    public static FakeSocketServer Start(Func<FakeConnection, CancellationToken, Task> handler) =>
        new(TestDirs.Create("fake"), handler);

    private async Task AcceptLoopAsync(Func<FakeConnection, CancellationToken, Task> handler)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            Accepted++;
            lock (_connections) _connections.Add(RunAsync(socket, handler));
        }
    }

    private async Task RunAsync(Socket socket, Func<FakeConnection, CancellationToken, Task> handler)
    {
        await using var connection = new FakeConnection(socket);
        try
        {
            await handler(connection, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        Task[] running;
        lock (_connections) running = [.. _connections];
        await Task.WhenAll(running);
        _stop.Dispose();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
