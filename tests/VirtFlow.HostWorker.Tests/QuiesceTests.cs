using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.HostWorker.Tests;

public sealed class QuiesceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Quiesce_by_pause_stops_a_running_VM_and_unquiesce_resumes_it_once()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var quiesced = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause));

        Assert.Equal((QuiesceModes.Pause, false, 0), (quiesced.Method, quiesced.WasPaused, quiesced.FrozenFilesystems));
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        var query = await worker.RunOkAsync<QueryVmResult>(Commands.Query());
        Assert.Equal(quiesced.LeaseId, query.LeaseId);
        var busy = await worker.RunAsync(Commands.Quiesce(QuiesceModes.Pause));
        Assert.Equal(HostErrorClasses.AlreadyQuiesced, busy.ErrorClass);

        var released = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(quiesced.LeaseId));
        Assert.Equal((true, true, "running"), (released.Released, released.Resumed, released.RunState));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);

        var again = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(quiesced.LeaseId));
        Assert.Equal((false, false), (again.Released, again.Resumed));
        var renew = await worker.RunAsync(Commands.Renew(quiesced.LeaseId, TimeSpan.FromMinutes(1)));
        Assert.Equal(HostErrorClasses.LeaseNotFound, renew.ErrorClass);
    }

    [Fact]
    public async Task Quiesce_none_holds_nothing_so_two_workflows_on_one_VM_do_not_collide()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var first = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.None));
        var second = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.None));

        Assert.Equal((QuiesceModes.None, false), (first.Method, first.WasPaused));
        Assert.NotEqual(first.LeaseId, second.LeaseId);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        // A real quiesce is not blocked by them either, and undoing a none answers "not held" without touching the VM.
        var paused = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause));
        var undoNone = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(first.LeaseId));
        Assert.Equal((false, false), (undoNone.Released, undoNone.Resumed));
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        var undoPause = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(paused.LeaseId));
        Assert.Equal((true, true), (undoPause.Released, undoPause.Resumed));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task A_VM_resumed_by_someone_else_while_quiesced_is_not_resumed_again_and_one_paused_again_is()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        // An unquiesce asks QEMU (query-status) before it resumes: a resume by someone else on another monitor is always seen.
        var first = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause));
        await vm.Monitor.ContAsync();
        var released = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(first.LeaseId));
        Assert.Equal((true, false, "running"), (released.Released, released.Resumed, released.RunState));

        // Resumed and paused again meanwhile: still paused when released, so resumed (what query-status says).
        var second = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause));
        await vm.Monitor.ContAsync();
        await vm.Monitor.StopAsync();
        var again = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(second.LeaseId));
        Assert.Equal((true, true, "running"), (again.Released, again.Resumed, again.RunState));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task A_VM_found_paused_is_not_stopped_again_and_stays_paused_after_unquiesce()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await vm.Monitor.StopAsync();
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var quiesced = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Auto)); // no agent: pause
        Assert.Equal((QuiesceModes.Pause, true), (quiesced.Method, quiesced.WasPaused));

        var released = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce());
        Assert.Equal((true, false), (released.Released, released.Resumed));
        Assert.Equal("paused", (await vm.Monitor.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task When_the_lease_runs_out_the_worker_resumes_the_VM_by_itself()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);

        var quiesced = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause, TimeSpan.FromSeconds(1)));
        var expired = await worker.Sink.WaitForAsync<QuiesceLeaseExpired>(e => e.LeaseId == quiesced.LeaseId);

        Assert.Equal((true, true, QuiesceModes.Pause), (expired.Released, expired.Resumed, expired.Method));
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
        var unquiesce = await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(quiesced.LeaseId));
        Assert.False(unquiesce.Released);
    }

    [Fact]
    public async Task A_renewed_lease_holds_past_its_first_end_and_runs_out_at_the_new_one()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        var clock = new ManualTimeProvider();
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, configure: o => o.TimeProvider = clock);
        var quiesced = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause, TimeSpan.FromSeconds(60)));

        clock.Advance(TimeSpan.FromSeconds(50));
        var renewed = await worker.RunOkAsync<QuiesceResult>(Commands.Renew(quiesced.LeaseId, TimeSpan.FromSeconds(60)));
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(60), renewed.ExpiresAt);
        clock.Advance(TimeSpan.FromSeconds(50)); // past the first end, before the new one: no timer is due

        Assert.Empty(worker.Sink.Of<QuiesceLeaseExpired>());
        Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        clock.Advance(TimeSpan.FromSeconds(11));
        var expired = await worker.Sink.WaitForAsync<QuiesceLeaseExpired>(e => e.LeaseId == quiesced.LeaseId);
        Assert.True(expired.Resumed);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task Disposing_the_worker_releases_the_lease_it_holds()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        await using (var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output))
        {
            await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Pause));
            Assert.False((await vm.Monitor.QueryStatusAsync()).Running);
        }
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);
    }

    [Fact]
    public async Task An_agent_socket_not_served_by_QEMU_is_never_frozen_and_auto_falls_back_to_pause()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 0, StartRunning = true });
        // Stands for a qemu-ga listening on the host itself: the socket's server is this test process, not QEMU.
        var asked = 0;
        await using var hostAgent = FakeSocketServer.Start(async (connection, ct) =>
        {
            while (await connection.ReadLineAsync(ct) is not null) Interlocked.Increment(ref asked);
        });
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output, qgaSocket: hostAgent.SocketPath);

        var freeze = await worker.RunAsync(Commands.Quiesce(QuiesceModes.FsFreeze));
        Assert.Equal(HostErrorClasses.AgentNotInGuest, freeze.ErrorClass);
        output.WriteLine(freeze.Error);
        Assert.True((await vm.Monitor.QueryStatusAsync()).Running);

        var auto = await worker.RunOkAsync<QuiesceResult>(Commands.Quiesce(QuiesceModes.Auto));
        Assert.Equal(QuiesceModes.Pause, auto.Method);
        await worker.RunOkAsync<UnquiesceResult>(Commands.Unquiesce(auto.LeaseId));
        Assert.Equal(0, Volatile.Read(ref asked)); // not a single line was sent to it
    }
}
