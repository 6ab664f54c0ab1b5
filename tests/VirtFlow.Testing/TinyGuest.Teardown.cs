using System.Net.Sockets;
using System.Text;
using VirtFlow.Qmp;

namespace VirtFlow.Testing;

// Stopping the guest: thaw a forgotten freeze, then quit QEMU through the test monitor.
public sealed partial class TinyGuest
{
    private static readonly TimeSpan TeardownAgentTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Sends <c>quit</c> on <see cref="TestQmpSocket"/> (with its own minimal QMP exchange, independent of the
    /// client under test) and waits for QEMU to exit. The guest gets no shutdown: its disk is left as after a
    /// power cut, unless it was frozen.
    /// </summary>
    public async Task QuitAsync(TimeSpan? timeout = null)
    {
        if (Process.HasExited) return;
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(TestQmpSocket), cts.Token);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        _ = await reader.ReadLineAsync(cts.Token); // greeting
        await stream.WriteAsync("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n"u8.ToArray(), cts.Token);
        try
        {
            await Process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"QEMU did not exit within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds:0} s of quit");
        }
    }

    private async Task<TinyGuestTeardown> ThawIfFrozenAsync()
    {
        var options = new QgaClientOptions { ConnectTimeout = TeardownAgentTimeout, DefaultTimeout = TeardownAgentTimeout };
        try
        {
            await using var agent = await QgaClient.ConnectAsync(QgaSocket, options);
            var before = await agent.GetFsFreezeStatusAsync();
            if (before != QgaFsFreezeStatus.Frozen) return new TinyGuestTeardown(true, before, null, null, null);
            var thawed = await agent.FsThawAsync();
            var after = await agent.GetFsFreezeStatusAsync();
            return new TinyGuestTeardown(true, before, thawed, after, null);
        }
        catch (QmpException e)
        {
            return new TinyGuestTeardown(true, null, null, null, e.Message);
        }
    }
}
