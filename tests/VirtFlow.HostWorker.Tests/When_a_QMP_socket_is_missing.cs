using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using VirtFlow.Contracts;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

/// <summary>A VM whose QMP socket is missing (no QEMU there) is reported within 2 s, naming the VM and the socket.</summary>
public sealed class When_a_QMP_socket_is_missing(ITestOutputHelper output)
{
    [Fact]
    public async Task A_command_fails_within_two_seconds_naming_the_VM_and_the_socket()
    {
        var dir = TestDirs.Create("missing-qmp");
        var socket = Path.Combine(dir, "nobody.sock");
        await using var worker = await WorkerHarness.StartAsync(socket, output, waitForSnapshot: false);

        var watch = Stopwatch.StartNew();
        var result = await worker.RunAsync(Commands.Query());
        watch.Stop();

        Assert.Equal(HostErrorClasses.VmUnavailable, result.ErrorClass);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"reported after {watch.Elapsed.TotalSeconds:0.0} s: {result.Error}");
        Assert.Contains("VM vm1", result.Error, StringComparison.Ordinal);
        Assert.Contains(socket, result.Error, StringComparison.Ordinal);
        Assert.Contains("no such socket file", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_socket_file_nobody_listens_on_is_reported_within_two_seconds()
    {
        var socket = Path.Combine(TestDirs.Create("stale-qmp"), "stale.sock");
        using (var bound = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            bound.Bind(new UnixDomainSocketEndPoint(socket)); // the file stays, nobody listens: QEMU died
        await using var worker = await WorkerHarness.StartAsync(socket, output, waitForSnapshot: false);

        var watch = Stopwatch.StartNew();
        var result = await worker.RunAsync(Commands.Query());

        Assert.Equal(HostErrorClasses.VmUnavailable, result.ErrorClass);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"reported after {watch.Elapsed.TotalSeconds:0.0} s: {result.Error}");
        Assert.Contains($"VM vm1: its QMP socket {socket} cannot be reached", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_monitor_another_client_holds_is_waited_for_as_a_standby_does()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { StartRunning = true });
        var hold = await vm.ConnectAsync();
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, waitForSnapshot: false, configure: o => o.ConnectWaitTimeout = TimeSpan.FromSeconds(60));

        var pending = worker.RunAsync(Commands.Query());
        await Eventually.Until(() => Task.FromResult(worker.Logs.Lines.Any(l => l.Text.Contains("cannot connect to QMP", StringComparison.Ordinal))),
            Timeouts.Slow, "the worker failing to connect to the held monitor");
        Assert.False(pending.IsCompleted, "a monitor held by another client is waited for, not reported missing");
        await hold.DisposeAsync();
        var result = await pending;
        Assert.True(result.Success, result.Error);
    }

    [Fact]
    public async Task A_VM_that_was_connected_is_waited_for_while_it_reconnects()
    {
        var connections = 0;
        string? away = null;
        FakeSocketServer? server = null;
        await using var qemu = server = FakeSocketServer.Start(async (connection, ct) =>
        {
            var n = Interlocked.Increment(ref connections);
            if (!await connection.NegotiateAsync(ct)) return;
            while (await connection.ReadLineAsync(ct) is { } line)
            {
                var request = JsonNode.Parse(line)!;
                var execute = request["execute"]!.GetValue<string>();
                var reply = execute == "query-status" ? """{"status": "running", "running": true, "singlestep": false}""" : "[]";
                await connection.SendLineAsync($$"""{"return": {{reply}}, "id": {{request["id"]!.ToJsonString()}}}""", ct);
                if (n == 1 && execute == "query-status")
                {
                    // QEMU restarting: the connection drops and the socket is gone for a while.
                    away = server!.SocketPath + ".away";
                    File.Move(server.SocketPath, away);
                    return;
                }
            }
        });
        await using var worker = await WorkerHarness.StartAsync(qemu.SocketPath, output, waitForSnapshot: false, configure: o =>
        {
            o.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
            o.ConnectWaitTimeout = TimeSpan.FromSeconds(60);
        });
        await worker.Sink.WaitForAsync<VmGone>(_ => true);

        var pending = worker.RunAsync(Commands.Query());
        await Eventually.Until(() => Task.FromResult(worker.Logs.Lines.Any(l => l.Text.Contains("no such socket file", StringComparison.Ordinal))),
            Timeouts.Slow, "the worker failing to reconnect");
        Assert.False(pending.IsCompleted, "a VM that was connected is given the connect wait, not failed at once");
        File.Move(away!, qemu.SocketPath);
        var result = await pending;
        Assert.True(result.Success, result.Error);
    }
}
