using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// Message triggers on the per-role users of <c>virtflow broker setup</c>, as processes: <c>virtflow server</c> as
/// <c>virtflow-server</c> binds <c>virtflow.msg.Greet</c>; <c>virtflow publish</c> as <c>virtflow-client</c> starts an
/// instance (logged with the client's validated user id); a worker's user is refused by the broker and starts nothing;
/// the client may not write the trigger's <c>_error</c> exchange.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class When_narrow_users_publish_to_a_message_trigger(BrokerFixture broker)
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(2);

    private const string Greet = """
        name: greet
        inputs:
          vm: { type: string, required: true }
        triggers:
          - type: message
            messageType: GreetSec
        steps:
          - id: hello
            type: log
            with: { message: "hello ${ inputs.vm }" }
        """;

    [Fact]
    public async Task The_client_starts_the_workflow_and_a_worker_is_refused()
    {
        var workflows = TestDirs.Create("workflows");
        await File.WriteAllTextAsync(Path.Combine(workflows, "greet.yaml"), Greet);
        await using var server = VirtFlowProcess.Start("server", "--rabbitmq", broker.Role("server").ToString(), "--store", TestStore.Sqlite().Spec,
            "--workflows", workflows, "--http", "off", "-v");
        await server.WaitForLineAsync("virtflow server ready", Ready);

        var refused = await VirtFlowProcess.RunAsync(Ready, "publish", "GreetSec", "--rabbitmq", broker.Role("worker-hq").ToString(),
            "--data", """{"vm":"from-worker"}""");
        Assert.True(refused.Code == 1, $"exit {refused.Code}\n{refused.Stdout}\n{refused.Stderr}");
        Assert.Contains("refused user 'virtflow-worker-hq' to publish to virtflow.msg.GreetSec", refused.Stderr, StringComparison.Ordinal);

        var sent = await VirtFlowProcess.RunAsync(Ready, "publish", "GreetSec", "--rabbitmq", broker.Role("client").ToString(),
            "--data", """{"vm":"from-client"}""", "--message-id", "sec-1");
        Assert.True(sent.Code == 0, $"exit {sent.Code}\n{sent.Stdout}\n{sent.Stderr}");
        Assert.StartsWith("published GreetSec to virtflow.msg.GreetSec", sent.Stdout, StringComparison.Ordinal);
        await server.WaitForErrorAsync("started instance", Ready);
        Assert.Matches("GreetSec.*id:sec-1.*from user.*virtflow-client.*started instance", server.Stderr);
        Assert.DoesNotContain("from-worker", server.Stderr, StringComparison.Ordinal);

        // The client may write the trigger's exchange, not its error exchange (no forged error entries).
        var forged = await RawAmqp.PublishAsync(broker.Role("client"), "virtflow.msg.GreetSec_error", body: """{"vm":"forged"}""");
        Assert.NotNull(forged);
        Assert.Contains("ACCESS_REFUSED", forged, StringComparison.Ordinal);
    }
}
