using System.Diagnostics;
using VirtFlow.Qmp;
using VirtFlow.Testing;

namespace VirtFlow.Qmp.Tests;

/// <summary>A frozen QEMU (SIGSTOP) keeps its socket open but answers nothing: calls must end by timeout or cancellation.</summary>
public sealed class TimeoutAndCancellationTests
{
    [Fact]
    public async Task A_call_QEMU_never_answers_times_out_and_its_late_reply_is_never_given_to_the_next_call()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0 });
        var logger = new ListLogger();
        await using var qmp = await vm.ConnectAsync(new QmpClientOptions { Logger = logger });

        vm.Process.Freeze();
        var watch = Stopwatch.StartNew();
        QmpException timedOut;
        try
        {
            timedOut = await Assert.ThrowsAsync<QmpException>(() => qmp.ExecuteAsync("query-status", timeout: TimeSpan.FromMilliseconds(300)));
        }
        finally
        {
            vm.Process.Thaw();
        }
        Assert.Equal(QmpErrorClasses.Timeout, timedOut.ErrorClass);
        Assert.Equal("query-status", timedOut.Command);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20));

        // QEMU now answers the abandoned query-status; the next call (another command) must get its own reply.
        var version = await qmp.QueryVersionAsync();
        Assert.Equal(qmp.Greeting.Version, version);
        Assert.Equal("prelaunch", (await qmp.QueryStatusAsync()).Status);
        Assert.Equal(1, logger.Count(3003));   // the late reply was logged as unmatched and dropped
    }

    [Fact]
    public async Task Cancelling_a_pending_call_throws_OperationCanceledException_with_the_callers_token()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0 });
        await using var qmp = await vm.ConnectAsync();
        using var cts = new CancellationTokenSource();

        vm.Process.Freeze();
        try
        {
            var call = qmp.ExecuteAsync("query-status", timeout: Timeout.InfiniteTimeSpan, cancellationToken: cts.Token);
            Assert.False(call.IsCompleted);
            await cts.CancelAsync();
            var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
            Assert.Equal(cts.Token, e.CancellationToken);
        }
        finally
        {
            vm.Process.Thaw();
        }
        Assert.Equal("prelaunch", (await qmp.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task An_already_cancelled_token_throws_before_anything_is_sent()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0 });
        var logger = new ListLogger();
        await using var qmp = await vm.ConnectAsync(new QmpClientOptions { Logger = logger });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => qmp.ExecuteAsync("query-status", cancellationToken: new CancellationToken(true)));
        Assert.Equal(0, logger.Count(3005));
    }

    [Fact]
    public async Task The_default_timeout_comes_from_the_options()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0 });
        await using var qmp = await vm.ConnectAsync(new QmpClientOptions { DefaultTimeout = TimeSpan.FromMilliseconds(200) });
        vm.Process.Freeze();
        try
        {
            var e = await Assert.ThrowsAsync<QmpException>(() => qmp.QueryStatusAsync());
            Assert.Equal(QmpErrorClasses.Timeout, e.ErrorClass);
            Assert.Contains("0.2 s", e.Description);
        }
        finally
        {
            vm.Process.Thaw();
        }
    }
}
