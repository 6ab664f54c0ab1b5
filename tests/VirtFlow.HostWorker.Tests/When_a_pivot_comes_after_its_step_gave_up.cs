using VirtFlow.Contracts;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

/// <summary>
/// docs/rules.md R11 on the worker's side: a PivotJobs taken after <c>IssuedAt + ReplyWithin</c> (kept in the outbox by a broker
/// outage, then sent with a fresh broker TTL) is refused without touching the VM, since its step has faulted and its rollback
/// may have given up; the same pivot within its window switches.
/// </summary>
public sealed class When_a_pivot_comes_after_its_step_gave_up(ITestOutputHelper output)
{
    [Fact]
    public async Task The_worker_refuses_it_and_the_VM_stays_on_its_sources_with_its_mirrors_ready()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        await using var worker = await WorkerHarness.StartAsync(vm.QmpSocketPath, output);
        string[] jobs = [Job("vda"), Job("vdb")];
        await worker.RunOkAsync<MirrorDisksResult>(Commands.Mirror(Spec(dir, "vda"), Spec(dir, "vdb")));
        await VmInspect.WaitForStatusAsync(worker.Sink, JobStatus.Ready, jobs);

        var late = Commands.Pivot(jobs) with { IssuedAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(3), ReplyWithin = TimeSpan.FromMinutes(2) };
        var refused = await worker.RunAsync(late);

        Assert.False(refused.Success);
        Assert.Equal(HostErrorClasses.Expired, refused.ErrorClass);
        Assert.Contains($"PivotJobs {late.CommandId} was issued at", refused.Error, StringComparison.Ordinal);
        Assert.Contains("not run", refused.Error, StringComparison.Ordinal);
        output.WriteLine(refused.Error);
        foreach (var disk in vm.Disks) Assert.Equal(disk.NodeName, await VmInspect.NodeOfAsync(vm.Monitor, disk.Id));
        Assert.All(await VmInspect.JobsAsync(vm.Monitor), j => Assert.Equal(JobStatus.Ready, j.Status));

        // The same pivot within its window (issued now, two minutes to answer) switches.
        var inTime = Commands.Pivot(jobs) with { IssuedAt = DateTimeOffset.UtcNow, ReplyWithin = TimeSpan.FromMinutes(2) };
        var pivot = await worker.RunOkAsync<PivotJobsResult>(inTime);
        Assert.All(pivot.Jobs, j => Assert.False(j.AlreadyPivoted, j.ToString()));
        Assert.Equal(TargetNode("vda"), await VmInspect.NodeOfAsync(vm.Monitor, "vda"));
    }
}
