using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary>
/// The tiny real guest (it writes with fsync all the time, so its counter stops while its filesystem is frozen) served
/// by a <c>virtflow worker</c> process: frozen by an engine that then dies, it is thawed when the worker's lease runs
/// out; frozen under a long lease by a worker killed with SIGKILL, it is thawed by the standby worker that takes over
/// (and not before: the standby leaves a live worker's freeze alone).
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class When_a_guest_is_frozen_by_a_worker(RabbitMqFixture rabbit, ITestOutputHelper output)
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan Counter = TimeSpan.FromSeconds(90);

    [Fact]
    public Task No_thaw_from_a_dead_engine_or_a_killed_worker_leaves_it_frozen() => RunAsync().WaitAsync(TimeSpan.FromMinutes(10));

    private async Task RunAsync()
    {
        await using var guest = await TinyGuest.StartAsync();
        output.WriteLine($"guest ready in {guest.BootTime?.TotalSeconds:0.0} s");
        var hostId = WorkerProcesses.NewHostId();
        string[] args = ["worker", "--host-id", hostId, "--rabbitmq", rabbit.Server.AmqpUri.ToString(),
            "--vm", $"vm1=qmp:{guest.QmpSocket},qga:{guest.QgaSocket}", "--storage-root", guest.Dir];

        var first = VirtFlowProcess.Start(args);
        try
        {
            await first.WaitForLineAsync("virtflow worker ready", WorkerProcesses.Ready);
            var engine = await EngineSide.StartAsync(rabbit.Server, hostId);
            var before = await guest.WaitForCounterAsync(_ => true, Counter);
            await guest.WaitForCounterAsync(n => n >= before + 2, Counter);

            // 1. The engine freezes the guest under a 6 s lease, then dies: the worker thaws it when the lease runs out.
            await engine.SendAsync(new QuiesceVm { CommandId = "freeze-1", HostId = hostId, Vm = "vm1", Mode = QuiesceModes.FsFreeze, Lease = TimeSpan.FromSeconds(6) });
            var frozen = await engine.ResultAsync("freeze-1", Answer);
            Assert.True(frozen.Success, frozen.Error);
            var lease = HostResultJson.Read<QuiesceResult>(frozen)!;
            Assert.Equal(1, lease.FrozenFilesystems);
            var atFreeze = guest.ReadCounter() ?? 0;
            await engine.DisposeAsync();
            // Frozen for the whole lease (less the 50 ms the worker's timer may fire early); then the timer fires (its log
            // line) and the lease thaws the guest.
            var whileFrozen = await guest.HighestCounterUntilAsync(() => DateTimeOffset.UtcNow >= lease.ExpiresAt - TimeSpan.FromMilliseconds(100),
                Answer, $"the end of lease {lease.LeaseId} ({lease.ExpiresAt:o})");
            Assert.True(whileFrozen <= atFreeze + 1, $"the guest kept writing while frozen ({atFreeze} -> {whileFrozen})");
            await first.WaitForErrorAsync("ran out with no unquiesce nor renewal", Answer);
            await guest.WaitForCounterAsync(n => n >= atFreeze + 3, Counter); // thawed by the lease
            await using (var back = await EngineSide.StartAsync(rabbit.Server, hostId))
            {
                var expired = await back.WaitForAsync<QuiesceLeaseExpired>(_ => true, Answer, "QuiesceLeaseExpired");
                Assert.Equal((true, QuiesceModes.FsFreeze, 1), (expired.Released, expired.Method, expired.ThawedFilesystems));

                // 2. Frozen under a long lease, then the worker is killed: the lease dies with it.
                await back.SendAsync(new QuiesceVm { CommandId = "freeze-2", HostId = hostId, Vm = "vm1", Mode = QuiesceModes.FsFreeze, Lease = TimeSpan.FromMinutes(10) });
                var again = await back.ResultAsync("freeze-2", Answer);
                Assert.True(again.Success, again.Error);
            }
            // A standby for the same host starts meanwhile: it must not take the live worker's freeze for an orphan.
            await using var standby = VirtFlowProcess.Start(args);
            await standby.WaitForLineAsync("virtflow worker ready", WorkerProcesses.Ready);
            var atStandby = guest.ReadCounter() ?? 0;
            // The standby's check: it asks QEMU for the monitor, which the live worker holds, and is refused (logged).
            var whileStandby = await guest.HighestCounterUntilAsync(() => standby.Stderr.Contains("VM vm1: cannot connect to QMP", StringComparison.Ordinal),
                Answer, $"the standby tried the monitor\n{standby}");
            Assert.True(whileStandby <= atStandby + 1, "the standby thawed a guest frozen under the live worker's lease");
            Assert.True((guest.ReadCounter() ?? 0) <= atStandby + 1, "the standby thawed a guest frozen under the live worker's lease");
            Assert.DoesNotContain("thawed", standby.Stderr, StringComparison.Ordinal);

            first.Kill();
            // The standby gets the monitor once the killed worker's connection is gone, finds the guest frozen with no
            // lease of its own, and thaws it.
            await guest.WaitForCounterAsync(n => n >= atStandby + 3, Counter);
            await standby.WaitForErrorAsync("thawed", Answer);
            output.WriteLine(standby.ToString());
        }
        finally
        {
            output.WriteLine(first.ToString());
            await first.DisposeAsync();
        }
    }
}
