using VirtFlow.Contracts;
using VirtFlow.Hosting.Messaging.Broker;
using VirtFlow.Hosting.Messaging.Identity;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// The per-role users of <c>virtflow broker setup</c> on a real RabbitMQ, used the way an attacker holding one role's login
/// would (plain AMQP): the broker itself refuses what the role may not do. (On the old main every process shared one
/// login with every right: each of these publishes and reads went through.)
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class When_roles_meet_the_broker(BrokerFixture broker)
{
    private static readonly string MirrorDisks = """{"message":{"commandId":"evil-1","hostId":"h2","vm":"vm1"},"messageType":["urn:message:VirtFlow.Contracts:MirrorDisks"]}""";

    [Fact]
    public async Task A_worker_publishing_a_command_to_another_hosts_queue_is_refused()
    {
        var viaExchange = await RawAmqp.PublishAsync(broker.Role("worker-h1"), HostQueues.CommandQueue("h2"), body: MirrorDisks);
        var viaDefaultExchange = await RawAmqp.PublishAsync(broker.Role("worker-h1"), "", HostQueues.CommandQueue("h2"), body: MirrorDisks);
        var viaCommandType = await RawAmqp.PublishAsync(broker.Role("worker-h1"), BrokerNames.ExchangeOf(typeof(MirrorDisks)), body: MirrorDisks);

        Assert.StartsWith("403 ACCESS_REFUSED", viaExchange, StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", viaDefaultExchange, StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", viaCommandType, StringComparison.Ordinal);
        Assert.Null(await RawAmqp.GetAsync(broker.Admin, HostQueues.CommandQueue("h2")));
    }

    [Fact]
    public async Task A_client_cannot_send_commands_nor_results()
    {
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.PublishAsync(broker.Role("client"), HostQueues.CommandQueue("h1"), body: MirrorDisks), StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.PublishAsync(broker.Role("client"), "", HostQueues.CommandQueue("h1"), body: MirrorDisks), StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.PublishAsync(broker.Role("client"), BrokerNames.ExchangeOf(typeof(CommandResult))), StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.ConsumeAsync(broker.Role("client"), WorkflowQueues.Start), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_cannot_read_another_hosts_queue_nor_the_servers()
    {
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.ConsumeAsync(broker.Role("worker-h1"), HostQueues.CommandQueue("h2")), StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.ConsumeAsync(broker.Role("worker-h1"), "virtflow-engine"), StringComparison.Ordinal);
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.ConsumeAsync(broker.Role("worker-h1"), WorkflowQueues.Start), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_cannot_claim_another_workers_identity_but_may_publish_its_own_results()
    {
        var exchange = BrokerNames.ExchangeOf(typeof(CommandResult));

        var forged = await RawAmqp.PublishAsync(broker.Role("worker-h2"), exchange, userId: BrokerRoles.WorkerUser("h1"));
        var own = await RawAmqp.PublishAsync(broker.Role("worker-h2"), exchange, userId: BrokerRoles.WorkerUser("h2"));

        Assert.StartsWith("406 PRECONDITION_FAILED", forged, StringComparison.Ordinal);
        Assert.Contains("user_id property set to 'virtflow-worker-h1' but authenticated user was 'virtflow-worker-h2'", forged, StringComparison.Ordinal);
        Assert.Null(own);
    }

    [Fact]
    public async Task Setup_again_keeps_every_user_and_password_unless_asked_to_rotate()
    {
        var again = await BrokerSetup.RunAsync(broker.SetupOptions());
        Assert.All(again, u => Assert.Equal("kept", u.State));
        Assert.All(again, u => Assert.Equal("", u.Uri.UserInfo.Split(':').ElementAtOrDefault(1) ?? ""));
        Assert.Null(await RawAmqp.PublishAsync(broker.Role("worker-h1"), BrokerNames.ExchangeOf(typeof(CommandResult)), userId: BrokerRoles.WorkerUser("h1")));

        Assert.Equal(["server", "worker-h1", "worker-h2", "worker-hq", "client"], broker.Users.Select(u => u.Role));
        Assert.All(broker.Users, u => Assert.Equal("created", u.State));
    }
}
