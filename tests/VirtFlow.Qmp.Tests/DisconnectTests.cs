using System.Diagnostics;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

public sealed class DisconnectTests
{
    private static readonly TimeSpan AtOnce = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Kill_9_of_QEMU_fails_a_pending_call_at_once_with_Disconnected()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0 });
        await using var qmp = await vm.ConnectAsync();
        using var events = qmp.Subscribe();

        vm.Process.Freeze();   // the call below stays pending: QEMU cannot answer
        var pending = qmp.ExecuteAsync("query-status", timeout: Timeout.InfiniteTimeSpan);
        Assert.False(pending.IsCompleted);
        var watch = Stopwatch.StartNew();
        vm.Process.KillHard();

        var e = await Assert.ThrowsAsync<QmpException>(() => pending.WaitAsync(AtOnce));
        Assert.Equal(QmpErrorClasses.Disconnected, e.ErrorClass);
        Assert.Equal("query-status", e.Command);
        Assert.True(watch.Elapsed < AtOnce, watch.Elapsed.ToString());

        await qmp.Disconnected.WaitAsync(AtOnce);
        Assert.Equal(QmpClientState.Disconnected, qmp.State);
        Assert.Equal(QmpErrorClasses.Disconnected, qmp.DisconnectReason!.ErrorClass);
        var later = await Assert.ThrowsAsync<QmpException>(() => qmp.QueryVersionAsync());
        Assert.Equal(QmpErrorClasses.Disconnected, later.ErrorClass);
        var listener = await Assert.ThrowsAsync<QmpException>(() => events.WaitAsync(null, AtOnce));
        Assert.Equal(QmpErrorClasses.Disconnected, listener.ErrorClass);
    }

    [Fact]
    public async Task A_peer_that_closes_under_pending_calls_fails_all_of_them_with_Disconnected()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var close = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = FakeSocketServer.Start(async (connection, ct) =>
        {
            await connection.NegotiateAsync(ct);
            for (var i = 0; i < 10; i++) await connection.ReadLineAsync(ct);
            received.TrySetResult();
            await close.Task.WaitAsync(ct);
            connection.Close();
        });
        await using var qmp = await QmpClient.ConnectAsync(server.SocketPath);
        var calls = Enumerable.Range(0, 10).Select(_ => qmp.ExecuteAsync("query-status", timeout: Timeout.InfiniteTimeSpan)).ToArray();
        await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(calls, c => Assert.False(c.IsCompleted));

        close.SetResult();
        foreach (var call in calls)
        {
            var e = await Assert.ThrowsAsync<QmpException>(() => call.WaitAsync(AtOnce));
            Assert.Equal(QmpErrorClasses.Disconnected, e.ErrorClass);
            Assert.Contains("closed", e.Description);
        }
        Assert.Equal(QmpClientState.Disconnected, qmp.State);
    }

    [Fact]
    public async Task Dispose_fails_pending_calls_ends_listeners_and_is_safe_to_repeat()
    {
        await using var server = FakeSocketServer.Start(async (connection, ct) =>
        {
            await connection.NegotiateAsync(ct);
            while (await connection.ReadLineAsync(ct) is not null) { }   // never answers
        });
        var qmp = await QmpClient.ConnectAsync(server.SocketPath);
        using var listener = qmp.Subscribe();
        var pending = qmp.ExecuteAsync("query-status", timeout: Timeout.InfiniteTimeSpan);

        await Task.WhenAll(qmp.DisposeAsync().AsTask(), qmp.DisposeAsync().AsTask());
        await qmp.DisposeAsync();

        var e = await Assert.ThrowsAsync<QmpException>(() => pending.WaitAsync(AtOnce));
        Assert.Equal(QmpErrorClasses.Disconnected, e.ErrorClass);
        Assert.True(qmp.Disconnected.IsCompleted);
        await Assert.ThrowsAsync<QmpException>(() => listener.WaitAsync(null, AtOnce));
        var after = await Assert.ThrowsAsync<QmpException>(() => qmp.ExecuteAsync("query-status"));
        Assert.Equal(QmpErrorClasses.Disconnected, after.ErrorClass);
    }
}
