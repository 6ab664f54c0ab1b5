namespace VirtFlow.Distributed.Tests;

/// <summary>
/// Two hosts, each with its worker and two VMs; on every VM two workflows at once: a shipped one (a move of vda, or a
/// point-in-time copy of vda) and a gated move of vdb. All eight mirror at once; the gates open once the shipped ones
/// are done, because a VM is held still (quiesced) under one lease at a time: a second quiesce meanwhile faults
/// AlreadyQuiesced instead of waiting.
/// </summary>
public sealed class When_two_workers_run_eight_workflows_at_once(ServersFixture servers, ITestOutputHelper output)
    : DistributedTest(servers, output)
{
    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Every_workflow_completes_on_its_own_host_and_vm(string store)
    {
        var options = new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = 2L << 20 };
        var starting = Enumerable.Range(0, 4).Select(_ => QemuVm.StartAsync(options)).ToList();
        await using var cluster = await ClusterAsync(store);
        var server = cluster.StartServerAsync();
        var vms = await Task.WhenAll(starting);
        try
        {
            var hosts = new[] { cluster.Host("hv1"), cluster.Host("hv2") };
            await server;
            await Task.WhenAll(
                cluster.StartWorkerAsync(hosts[0], TestVm.Of("vm1", vms[0]), TestVm.Of("vm2", vms[1])),
                cluster.StartWorkerAsync(hosts[1], TestVm.Of("vm1", vms[2]), TestVm.Of("vm2", vms[3])));

            // The same VM names on both hosts, told apart by host. Even VMs: a move of vda; odd ones: a copy of vda.
            var plan = Enumerable.Range(0, 4).Select(i => (
                Host: hosts[i / 2], Name: i % 2 == 0 ? "vm1" : "vm2", Vm: vms[i], Moves: i % 2 == 0,
                First: DiskMove.For(vms[i], i % 2 == 0 ? "moved" : "copy", "vda"), Gated: DiskMove.For(vms[i], "moved", "vdb"),
                Gate: $"gate-{cluster.Tag}-{i}")).ToList();
            var shipped = new List<string>();
            var gated = new List<string>();
            foreach (var p in plan)
            {
                shipped.Add(await cluster.SendStartAsync(p.Moves ? CopyDisksPivot : PointInTimeCopy, DiskMove.Inputs(p.Host, p.Name, "pause", p.First)));
                gated.Add(await cluster.SendStartAsync(GatedMove, Gated(p.Host, p.Name, p.Gated, gate: p.Gate)));
            }

            foreach (var id in shipped)
            {
                var instance = await cluster.WaitForEndAsync(id);
                Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
            }
            foreach (var id in gated) await cluster.WaitsAtAsync(id, "gate");
            await Task.WhenAll(plan.Select(p => cluster.SendEventAsync("gate", p.Gate)));
            foreach (var id in gated)
            {
                var instance = await cluster.WaitForEndAsync(id);
                Assert.True(instance.Status == InstanceStatus.Completed, await cluster.DescribeAsync(id));
            }

            foreach (var p in plan)
            {
                Assert.Equal(p.Moves ? "targets" : "sources", await VmDisks.SideAsync(p.Vm, p.First));
                Assert.Equal("targets", await VmDisks.SideAsync(p.Vm, p.Gated));
                Assert.Empty(await p.Vm.Monitor.QueryJobsAsync());
                Assert.False((await p.Vm.Monitor.QueryStatusAsync()).Running, "left as found: stopped (-S)");
            }
            foreach (var p in plan)
            {
                await p.Vm.ShutdownAsync();
                await VmDisks.AssertCopiesIdenticalAsync(p.Vm, [.. p.First, .. p.Gated]);
            }
        }
        finally
        {
            foreach (var vm in vms) await vm.DisposeAsync();
        }
    }
}
