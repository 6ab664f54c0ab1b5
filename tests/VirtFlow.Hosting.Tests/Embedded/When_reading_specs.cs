using VirtFlow.Contracts;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Messaging;

namespace VirtFlow.Hosting.Tests.Embedded;

public sealed class When_reading_specs
{
    [Theory]
    [InlineData("vm1=qmp:/run/vm1.qmp", "vm1", "/run/vm1.qmp", null)]
    [InlineData("web-2=qmp:/run/w.qmp,qga:/run/w.qga", "web-2", "/run/w.qmp", "/run/w.qga")]
    [InlineData("db=qmp:tcp:127.0.0.1:4444", "db", "tcp:127.0.0.1:4444", null)]
    [InlineData("x=qga:/g.sock,qmp:/q.sock", "x", "/q.sock", "/g.sock")]
    public void A_vm_spec_names_the_vm_its_monitor_and_its_agent(string text, string name, string qmp, string? qga)
    {
        var spec = VmSpec.Parse(text);
        Assert.Equal(new VmSpec(name, qmp, qga), spec);
        Assert.Equal(name, spec.ToHostVm().Name);
    }

    [Theory]
    [InlineData("vm1")]
    [InlineData("=qmp:/a")]
    [InlineData("vm1=/run/vm1.qmp")]
    [InlineData("vm1=qga:/run/vm1.qga")]
    [InlineData("vm1=qmp:/a,bogus:/b")]
    [InlineData("vm 1=qmp:/a")]
    [InlineData("vm1=qmp:")]
    public void A_vm_spec_of_another_form_is_refused_with_the_expected_form(string text)
    {
        Assert.False(VmSpec.TryParse(text, out _, out var error));
        Assert.Contains(text.Length > 0 ? "name" : "", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => VmSpec.Parse(text));
    }

    [Fact]
    public void The_default_store_is_a_sqlite_file_in_VIRTFLOW_HOME_else_the_xdg_data_folder_else_local_share()
    {
        Assert.Equal("/srv/vf", StoreLocations.HomeDirectory(n => n == "VIRTFLOW_HOME" ? "/srv/vf" : null));
        Assert.Equal("/data/virtflow", StoreLocations.HomeDirectory(n => n == "XDG_DATA_HOME" ? "/data" : null));
        Assert.EndsWith("/.local/share/virtflow", StoreLocations.HomeDirectory(_ => null));
        Assert.Equal("sqlite:/srv/vf/virtflow.db", StoreLocations.DefaultStoreSpec(create: false, n => n == "VIRTFLOW_HOME" ? "/srv/vf" : null));
    }

    [Fact]
    public void A_bus_spec_is_memory_or_a_rabbitmq_uri()
    {
        Assert.Same(BusTransport.InMemory, BusTransport.Parse("memory:"));
        var rabbit = Assert.IsType<RabbitMqBusTransport>(BusTransport.Parse("rabbitmq://guest:secret@mq:5672/vf"));
        Assert.Equal("mq", rabbit.Uri.Host);
        Assert.DoesNotContain("secret", rabbit.ToString());
        Assert.IsType<RabbitMqBusTransport>(BusTransport.Parse("amqp://mq/"));
        Assert.Throws<ArgumentException>(() => BusTransport.Parse("kafka://x"));
    }

    [Fact]
    public void Queues_follow_the_shared_naming()
    {
        Assert.Equal(new Uri("queue:virtflow-host-local"), VirtFlowBus.HostCommandAddress(BusTransport.InMemory, "local"));
        Assert.Equal(new Uri("queue:virtflow-host-hv1?singleactiveconsumer=true"), VirtFlowBus.HostCommandAddress(BusTransport.RabbitMq(new Uri("rabbitmq://mq/")), "hv1"));
        Assert.True(VirtFlowBus.IsHostQueue(HostQueues.CommandQueue("hv-7")));
        Assert.False(VirtFlowBus.IsHostQueue(VirtFlowBus.EngineQueue));
    }

    [Fact]
    public void Broker_message_ids_are_derived_from_outbox_ids()
    {
        Assert.Equal(MessageIds.From("i:s:1:0"), MessageIds.From("i:s:1:0"));
        Assert.NotEqual(MessageIds.From("i:s:1:0"), MessageIds.From("i:s:2:0"));
    }

    [Fact]
    public void Every_host_event_type_has_an_engine_consumer()
    {
        var types = VirtFlowBusBuilder.HostEventTypes;
        Assert.Contains(typeof(CommandResult), types);
        Assert.Contains(typeof(JobStatusChanged), types);
        Assert.Contains(typeof(JobProgress), types);
        Assert.Contains(typeof(VmGone), types);
        Assert.All(types, t => Assert.True(typeof(HostEvent).IsAssignableFrom(t) && !t.IsAbstract));
    }
}
