using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

public sealed class ConnectFailureTests
{
    private static readonly QmpClientOptions Quick = new() { ConnectTimeout = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task A_missing_socket_file_is_ConnectFailed_naming_the_path()
    {
        var path = Path.Combine(TestDirs.Create("cf"), "absent.sock");
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(path));
        Assert.Equal(QmpErrorClasses.ConnectFailed, e.ErrorClass);
        Assert.Contains(path, e.Description);
        Assert.Contains("no such socket", e.Description);
    }

    [Fact]
    public async Task A_regular_file_is_ConnectFailed()
    {
        var path = Path.Combine(TestDirs.Create("cf"), "plain.txt");
        await File.WriteAllTextAsync(path, "not a socket");
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(path));
        Assert.Equal(QmpErrorClasses.ConnectFailed, e.ErrorClass);
        Assert.Contains("refused", e.Description);
    }

    [Fact]
    public async Task A_closed_TCP_port_is_ConnectFailed()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync("tcp:127.0.0.1:1", Quick));
        Assert.Equal(QmpErrorClasses.ConnectFailed, e.ErrorClass);
        Assert.Contains("tcp:127.0.0.1:1", e.Description);
    }

    [Fact]
    public async Task A_malformed_TCP_address_is_ConnectFailed()
    {
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync("tcp:localhost"));
        Assert.Equal(QmpErrorClasses.ConnectFailed, e.ErrorClass);
        Assert.Contains("tcp:HOST:PORT", e.Description);
    }

    [Fact]
    public async Task A_socket_that_speaks_something_else_is_a_ProtocolError()
    {
        await using var server = FakeSocketServer.Start(async (c, ct) =>
        {
            await c.SendLineAsync("SSH-2.0-OpenSSH_9.2", ct);
            await c.ReadLineAsync(ct);
        });
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(server.SocketPath, Quick));
        Assert.Equal(QmpErrorClasses.Protocol, e.ErrorClass);
        Assert.Contains("SSH-2.0", e.Description);
    }

    [Fact]
    public async Task JSON_that_is_not_a_greeting_is_a_ProtocolError()
    {
        await using var server = FakeSocketServer.Start(async (c, ct) =>
        {
            await c.SendLineAsync("""{"return": {}}""", ct);
            await c.ReadLineAsync(ct);
        });
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(server.SocketPath, Quick));
        Assert.Equal(QmpErrorClasses.Protocol, e.ErrorClass);
        Assert.Contains("greeting", e.Description);
    }

    [Fact]
    public async Task A_silent_socket_such_as_a_guest_agent_is_a_ProtocolError_after_the_connect_timeout()
    {
        await using var server = FakeSocketServer.Start(async (c, ct) => await c.ReadLineAsync(ct));
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(server.SocketPath, Quick));
        Assert.Equal(QmpErrorClasses.Protocol, e.ErrorClass);
        Assert.Contains("got no QMP greeting within 1 s", e.Description);
    }

    [Fact]
    public async Task A_peer_that_closes_at_once_is_a_ProtocolError()
    {
        await using var server = FakeSocketServer.Start((c, _) => { c.Close(); return Task.CompletedTask; });
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(server.SocketPath, Quick));
        Assert.Equal(QmpErrorClasses.Protocol, e.ErrorClass);
        Assert.Contains("closed before the QMP greeting", e.Description);
    }

    [Fact]
    public async Task A_refused_qmp_capabilities_is_a_ProtocolError()
    {
        await using var server = FakeSocketServer.Start(async (c, ct) =>
        {
            await c.SendLineAsync(FakeSocketServer.QmpGreeting, ct);
            await c.ReadLineAsync(ct);
            await c.SendLineAsync("""{"error": {"class": "CommandNotFound", "desc": "nope"}, "id": "vf-negotiate"}""", ct);
            await c.ReadLineAsync(ct);
        });
        var e = await Assert.ThrowsAsync<QmpException>(() => QmpClient.ConnectAsync(server.SocketPath, Quick));
        Assert.Equal(QmpErrorClasses.Protocol, e.ErrorClass);
        Assert.Contains("CommandNotFound: nope", e.Description);
    }

    [Fact]
    public async Task Cancelling_a_connect_throws_OperationCanceledException()
    {
        await using var server = FakeSocketServer.Start(async (c, ct) => await c.ReadLineAsync(ct));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => QmpClient.ConnectAsync(server.SocketPath, null, cts.Token));
    }
}
