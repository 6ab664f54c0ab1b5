using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts;
using VirtFlow.HostWorker.Messaging;
using VirtFlow.Qmp;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.HostWorker.Tests.Disks;

namespace VirtFlow.HostWorker.Tests;

public sealed class MassTransitTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Commands_sent_to_the_host_queue_on_the_in_memory_bus_are_run_and_answered_with_results_and_job_events()
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, PrefillBytes = 1 * MiB });
        var dir = TargetsDir(vm);
        var seen = new RecordingSink();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        builder.Services.AddSingleton(seen);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<EventRecorder>().Endpoint(e => e.Name = "test-events");
            bus.AddVirtFlowHostWorker(o =>
            {
                o.HostId = "mt1";
                o.Vms.Add(new HostVm("vm1", vm.QmpSocketPath));
                o.StorageRoots.Add(dir);
            });
            bus.AddVirtFlowHostWorker(o => o.HostId = "ignored"); // a second call adds nothing
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });
        using var host = builder.Build();
        var busControl = host.Services.GetRequiredService<IBus>();
        await host.StartAsync();
        try
        {
            await seen.WaitForAsync<VmJobsSnapshot>(s => s.HostId == "mt1");
            var queue = await busControl.GetSendEndpoint(HostQueueAddress.For("mt1"));
            Assert.Equal(new Uri("queue:virtflow-host-mt1"), HostQueueAddress.For("mt1"));

            var mirror = new MirrorDisks
            {
                CommandId = "i1/mirror/1", HostId = "mt1", Vm = "vm1", InstanceId = "i1",
                Disks = [Spec(dir, "vda"), Spec(dir, "vdb", "raw")],
            };
            await queue.Send(mirror);
            var mirrored = await seen.WaitForAsync<CommandResult>(r => r.CommandId == mirror.CommandId);
            Assert.True(mirrored.Success, mirrored.Error);
            Assert.Equal(nameof(MirrorDisks), mirrored.CommandType);
            Assert.Equal([Job("vda"), Job("vdb")], HostResultJson.Read<MirrorDisksResult>(mirrored)!.Disks.Select(d => d.JobId));
            await seen.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vda") && e.Status == JobStatus.Ready);
            await seen.WaitForAsync<JobStatusChanged>(e => e.JobId == Job("vdb") && e.Status == JobStatus.Ready);

            var pivot = new PivotJobs { CommandId = "i1/pivot/1", HostId = "mt1", Vm = "vm1", JobIds = [Job("vda"), Job("vdb")], PendingTimeout = TimeSpan.FromSeconds(30) };
            await queue.Send(pivot);
            var pivoted = await seen.WaitForAsync<CommandResult>(r => r.CommandId == pivot.CommandId);
            Assert.True(pivoted.Success, pivoted.Error);
            Assert.All(HostResultJson.Read<PivotJobsResult>(pivoted)!.Jobs, j => Assert.NotNull(j.Device));
            Assert.Equal(TargetNode("vda"), await vm.Monitor.FindNodeForDeviceAsync("vda"));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Subscribes to the worker's events, as an engine would, and records them.</summary>
    public sealed class EventRecorder(RecordingSink sink) : IConsumer<CommandResult>, IConsumer<JobStatusChanged>, IConsumer<VmJobsSnapshot>
    {
        public Task Consume(ConsumeContext<CommandResult> context) => sink.PublishAsync(context.Message, context.CancellationToken);

        public Task Consume(ConsumeContext<JobStatusChanged> context) => sink.PublishAsync(context.Message, context.CancellationToken);

        public Task Consume(ConsumeContext<VmJobsSnapshot> context) => sink.PublishAsync(context.Message, context.CancellationToken);
    }
}
