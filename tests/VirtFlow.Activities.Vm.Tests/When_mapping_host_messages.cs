using System.Text.Json.Nodes;
using VirtFlow.Activities.Vm.Messaging;
using VirtFlow.Activities.Vm.Support;
using VirtFlow.Contracts;

namespace VirtFlow.Activities.Vm.Tests;

public sealed class When_mapping_host_messages
{
    public static TheoryData<HostCommand> Commands() =>
    [
        new MirrorDisks { CommandId = "", HostId = "h1", Vm = "web1", Disks = [new DiskMirrorSpec("vda", "/t/vda.qcow2", "qcow2", "vf-1-2-vda", Reuse: true, Speed: 10, CopyMode: "write-blocking")] },
        new CompleteJobs { CommandId = "", HostId = "h1", Vm = "web1", JobIds = ["a"] },
        new FinalizeJobs { CommandId = "", HostId = "h1", Vm = "web1", JobIds = ["a"] },
        new PivotJobs { CommandId = "", HostId = "h1", Vm = "web1", JobIds = ["a", "b"], PendingTimeout = TimeSpan.FromSeconds(30) },
        new CancelJobs { CommandId = "", HostId = "h1", Vm = "web1", JobIds = ["a"], Force = true },
        new DismissJobs { CommandId = "", HostId = "h1", Vm = "web1", JobIds = ["a"], Nodes = ["src-vda"] },
        new QuiesceVm { CommandId = "", HostId = "h1", Vm = "web1", Mode = "pause", Lease = TimeSpan.FromMinutes(2) },
        new UnquiesceVm { CommandId = "", HostId = "h1", Vm = "web1", LeaseId = "lease-7" },
        new RenewQuiesceLease { CommandId = "", HostId = "h1", Vm = "web1", LeaseId = "lease-7" },
        new PauseVm { CommandId = "", HostId = "h1", Vm = "web1" },
        new ResumeVm { CommandId = "", HostId = "h1", Vm = "web1" },
        new QueryVm { CommandId = "", HostId = "h1", Vm = "web1", InstanceId = "i-1" },
        new RawQmp { CommandId = "", HostId = "h1", Vm = "web1", Command = "query-block", ArgumentsJson = """{"flat":true}""" },
        new InspectVm { CommandId = "", HostId = "h1", Vm = "web1", Targets = ["/t/vda.qcow2"], Devices = ["vda"], CheckGuestAgent = true, Under = "/t" },
        new ListVms { CommandId = "", HostId = "h1", Vm = "web1" },
        new PruneCopies { CommandId = "", HostId = "h1", Vm = "web1", Directory = "/backups/web1", Keep = 3 },
        new CreateFolder { CommandId = "", HostId = "h1", Vm = "web1", Path = "/backups/web1/2026-12-07" },
    ];

    [Fact]
    public void Every_command_of_the_contracts_table_has_a_serializer_entry_and_a_sample_here()
    {
        Assert.Equal(HostCommandTable.All.Select(k => k.Name), HostMessageJson.CommandTypes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(HostCommandTable.All.Select(k => k.Name), ((IEnumerable<object[]>)Commands()).Select(c => c[0].GetType().Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void A_command_goes_through_the_outbox_payload_and_comes_back_with_its_id_and_host(HostCommand command)
    {
        var payload = HostMessageJson.ToPayload(command);
        var back = HostMessageJson.FromPayload(HostMessageJson.MessageType(command), payload, "i-1:mirror:1:1", "h1");

        Assert.Equal(command with { CommandId = "i-1:mirror:1:1" }, back, new RecordJsonComparer());
        Assert.Equal(command.GetType().Name, HostMessageJson.MessageType(command));
        Assert.Equal("web1", payload["vm"]!.GetValue<string>()); // camelCase
    }

    [Fact]
    public void The_outbox_id_and_destination_win_over_the_payload()
    {
        var payload = HostMessageJson.ToPayload(new QueryVm { CommandId = "placeholder", HostId = "other", Vm = "web1" });

        var command = HostMessageJson.FromPayload("QueryVm", payload, "i-1:q:1:1", "h1");

        Assert.Equal(("i-1:q:1:1", "h1"), (command.CommandId, command.HostId));
        Assert.Throws<NotSupportedException>(() => HostMessageJson.FromPayload("FormatDisk", payload, "x", "h1"));
    }

    [Fact]
    public void Host_events_get_the_keys_the_VM_activities_wait_for()
    {
        Assert.Equal("reply:i-1:m:1:1", Key(new CommandResult { EventId = "e", HostId = "h1", CommandId = "i-1:m:1:1", Vm = "web1", Success = true }));
        Assert.Equal("job:h1:web1:vf-a", Key(new JobStatusChanged { EventId = "e", HostId = "h1", Vm = "web1", JobId = "vf-a", Status = "ready" }));
        Assert.Equal("progress:h1:web1:vf-a", Key(new JobProgress { EventId = "e", HostId = "h1", Vm = "web1", JobId = "vf-a" }));
        Assert.Equal("vm:h1:web1", Key(new VmGone { EventId = "e", HostId = "h1", Vm = "web1" }));
        Assert.Equal("lease:h1:web1:lease-7", Key(new QuiesceLeaseExpired { EventId = "e", HostId = "h1", Vm = "web1", LeaseId = "lease-7", Method = "fsfreeze", Released = true }));
        Assert.Equal("snapshot:h1:web1", Key(new VmJobsSnapshot { EventId = "e", HostId = "h1", Vm = "web1", Jobs = [] }));
        Assert.Equal("worker:h1", Key(new WorkerOnline { EventId = "e", HostId = "h1", Vms = ["web1"] }));
        Assert.Equal("worker:h1", Key(new WorkerOffline { EventId = "e", HostId = "h1" }));
    }

    [Fact]
    public void An_event_payload_is_the_event_in_camelCase_and_reads_back()
    {
        var ready = new JobStatusChanged { EventId = "h1/web1/job/vf-a/ready", HostId = "h1", Vm = "web1", JobId = "vf-a", Status = "ready", Offset = 5, Length = 5 };

        var envelope = HostMessageJson.ToEnvelope(ready);

        Assert.Equal(("h1/web1/job/vf-a/ready", "job:h1:web1:vf-a"), (envelope.Id, envelope.Key));
        Assert.Equal("ready", envelope.Payload!["status"]!.GetValue<string>());
        Assert.Equal(ready, HostMessageJson.ReadEvent<JobStatusChanged>(envelope.Payload));
        Assert.Null(HostMessageJson.ReadEvent<JobStatusChanged>(JsonValue.Create("not an event")));
    }

    [Fact]
    public void Job_ids_are_the_same_for_the_same_step_execution_and_new_for_another()
    {
        var id = JobIds.For("move-web1", "mirror", 1, "vda");

        Assert.Equal(id, JobIds.For("move-web1", "mirror", 1, "vda"));
        Assert.Matches("^vf-[0-9a-f]{8}-[0-9a-f]{4}-vda$", id);
        Assert.StartsWith(JobIds.InstancePrefix("move-web1"), id);
        Assert.NotEqual(id, JobIds.For("move-web1", "mirror", 2, "vda"));        // a retry never adopts a failed attempt's job
        Assert.NotEqual(id, JobIds.For("move-web1", "each[2]/mirror", 1, "vda")); // another loop iteration
        Assert.NotEqual(id, JobIds.For("move-web2", "mirror", 1, "vda"));
        Assert.EndsWith("-machine_peripheral_vda_virtio-backend", JobIds.For("i", "m", 1, "/machine/peripheral/vda/virtio-backend"));
        Assert.Equal(id + "-wb", JobIds.WriteBlocking(id));
        Assert.Equal(id + "-wb", JobIds.WriteBlocking(id + "-wb"));
    }

    private static string Key(HostEvent e) => HostMessageJson.ToEngineEvent(e).Key;

    /// <summary>Records with list members compare by reference: compare their JSON instead.</summary>
    private sealed class RecordJsonComparer : IEqualityComparer<HostCommand>
    {
        public bool Equals(HostCommand? x, HostCommand? y) =>
            x!.GetType() == y!.GetType() && HostMessageJson.ToPayload(x).ToJsonString() == HostMessageJson.ToPayload(y).ToJsonString();

        public int GetHashCode(HostCommand obj) => 0;
    }
}
