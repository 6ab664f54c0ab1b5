using System.Net.Sockets;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>
/// A scripted stand-in for qemu-ga on a unix socket, for what a real agent will not do on demand (stay silent,
/// answer late, close mid-call). Every accepted connection runs the script. Never a real agent: it freezes nothing.
/// </summary>
internal sealed class QgaFakeAgent : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private readonly string _dir;

    private QgaFakeAgent(Func<QgaFakeConnection, CancellationToken, Task> script)
    {
        _dir = TestDirs.Create("qga-fake");
        SocketPath = Path.Combine(_dir, "qga.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(4);
        _acceptLoop = AcceptAsync(script);
    }

    public string SocketPath { get; }

    /// <summary>Every command received, in order, over all connections.</summary>
    public List<string> Received { get; } = [];

    /// <summary>The first failure of a script (an assertion inside it, say), rethrown by <see cref="DisposeAsync"/>.</summary>
    public Exception? ScriptFailure { get; private set; }

    public static QgaFakeAgent Start(Func<QgaFakeConnection, CancellationToken, Task> script) => new(script);

    private async Task AcceptAsync(Func<QgaFakeConnection, CancellationToken, Task> script)
    {
        while (true)
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
            lock (_connections) _connections.Add(RunAsync(new QgaFakeConnection(socket, this), script));
        }
    }

    private async Task RunAsync(QgaFakeConnection connection, Func<QgaFakeConnection, CancellationToken, Task> script)
    {
        await using (connection)
        {
            try
            {
                await script(connection, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
            catch (Exception e)
            {
                ScriptFailure ??= e;
            }
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
        Directory.Delete(_dir, recursive: true);
        if (ScriptFailure is not null) throw new InvalidOperationException("the fake agent's script failed", ScriptFailure);
    }
}
