using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// The start message waits in its durable queue for a server that is not up now. The queue and its binding to the
/// <c>StartWorkflow</c> exchange come from <c>virtflow broker setup</c> or a server that ran once (clients publish and
/// have no rights on the server's queue): here a server runs once first.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_start_comes_before_the_server(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task The_instance_runs_once_the_server_starts_and_the_waiting_client_sees_its_end()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await scene.PrepareBrokerAsync();
        await using var start = scene.Start("compute", "--input", "n=14", "--wait", "-v");
        // The client has sent and asked once without an answer (-v: its log says so), and waits on.
        await start.WaitForErrorAsync("No server answered the status request for instance", ServerScene.Finish);
        Assert.False(start.HasExited, start.ToString());

        await using var server = await scene.StartServerAsync();
        var code = await start.WaitForExitAsync(ServerScene.Finish);

        Assert.True(code == 0, start.ToString());
        // Every step shows, even those run the moment the server took the message.
        var lines = start.Stdout.Split('\n');
        Assert.Contains(lines, l => l.EndsWith("] step triple started", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("] step triple completed", StringComparison.Ordinal));
        Assert.Contains("outputs: {\"tripled\":42}", start.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_wait_it_prints_the_id_once_the_broker_has_it_and_a_later_server_runs_it()
    {
        var store = TestStore.Sqlite();
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, store.Spec, ("compute.yaml", Workflows.Compute));
        await scene.PrepareBrokerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("compute", "--input", "n=3");
        Assert.True(code == 0, stderr);
        var id = stdout.Trim();

        await using var server = await scene.StartServerAsync();
        await using var db = await store.OpenAsync();
        var done = await Eventually.Until(async () => await db.GetInstanceAsync(id) is { IsFinal: true } i ? i : null, ServerScene.Finish, $"instance {id} to end");
        Assert.Equal(9, done.Output!["tripled"]!.GetValue<int>());
    }
}
