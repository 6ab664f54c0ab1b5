using VirtFlow.Hosting.Messaging;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>Who may speak for a host (<see cref="HostEventSenders"/>, pure logic): the host's worker user or the engine's own.</summary>
public sealed class When_the_engine_weighs_a_host_events_sender
{
    private static readonly BusTransport Server = BusTransport.RabbitMq(new Uri("amqp://virtflow-server:pw@broker:5672/virtflow"));

    [Theory]
    [InlineData("h1", "virtflow-worker-h1", true)]
    [InlineData("h1", "virtflow-server", true)]
    [InlineData("h1", "virtflow-worker-h2", false)]
    [InlineData("h1", "virtflow-client", false)]
    [InlineData("h1", null, false)]
    [InlineData("h1", "", false)]
    [InlineData("", "virtflow-worker-", false)]
    public void By_default_only_the_hosts_worker_or_the_engines_own_user_is_taken(string hostId, string? userId, bool accepted) =>
        Assert.Equal(accepted, new HostEventSenders(Server, new WorkerIdentityOptions()).Accepts(hostId, userId));

    [Fact]
    public void A_pattern_names_other_worker_users_and_trust_any_worker_takes_everything()
    {
        var custom = new HostEventSenders(Server, new WorkerIdentityOptions { WorkerUserPattern = "hv-{host}-agent" });
        Assert.True(custom.Accepts("h1", "hv-h1-agent"));
        Assert.False(custom.Accepts("h1", "virtflow-worker-h1"));

        var open = new HostEventSenders(Server, new WorkerIdentityOptions { TrustAnyWorker = true });
        Assert.False(open.IsEnforced);
        Assert.True(open.Accepts("h1", null));
    }

    [Fact]
    public void The_in_memory_bus_checks_nothing_and_guest_trusts_its_own_single_login()
    {
        Assert.False(new HostEventSenders(BusTransport.InMemory, new WorkerIdentityOptions()).IsEnforced);
        var guest = new HostEventSenders(BusTransport.RabbitMq(new Uri("amqp://127.0.0.1:5672/")), new WorkerIdentityOptions());
        Assert.True(guest.Accepts("h1", "guest"));
        Assert.False(guest.Accepts("h1", null));
    }

    [Fact]
    public void A_pattern_without_the_host_placeholder_is_refused_naming_the_option()
    {
        var e = Assert.Throws<ArgumentException>(() => new HostEventSenders(Server, new WorkerIdentityOptions { WorkerUserPattern = "worker" }));
        Assert.StartsWith("--worker-user 'worker' must contain {host}", e.Message, StringComparison.Ordinal);
    }
}
