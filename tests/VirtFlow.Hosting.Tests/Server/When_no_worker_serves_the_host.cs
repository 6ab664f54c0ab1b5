using VirtFlow.Contracts;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>
/// A step whose host has no worker faults after its <c>commandTimeout</c>, naming the host; its command expires in the
/// broker, so a worker that comes later does not run it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class When_no_worker_serves_the_host(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task The_instance_faults_after_the_command_timeout_naming_the_host()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("query-vm.yaml", Workflows.QueryVm));
        await using var server = await scene.StartServerAsync();
        var host = "nobody-" + Guid.NewGuid().ToString("N")[..6];

        var (code, stdout, stderr) = await scene.RunStartAsync("query-vm", "--input", $"host={host}", "--wait", "--json");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        var document = ServerScene.Document(stdout);
        Assert.Equal("faulted", document["status"]!.GetValue<string>());
        Assert.Contains($"no answer from host '{host}' within 3s for QueryVm (is a worker running for it?)", document["fault"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_that_comes_after_the_command_timeout_never_gets_the_command()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("query-vm.yaml", Workflows.QueryVm));
        await using var server = await scene.StartServerAsync();
        var host = "late-" + Guid.NewGuid().ToString("N")[..6];
        var queue = HostQueues.CommandQueue(host);
        var (code, stdout, stderr) = await scene.RunStartAsync("query-vm", "--input", $"host={host}", "--wait");
        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        await server.WaitForErrorAsync("Sent QueryVm ", ServerScene.Finish);

        // The command's time-to-live is its step's commandTimeout (3s) plus a 5s margin: the broker drops it then.
        await Eventually.Until(async () => await BrokerQueue.StateAsync(rabbit.Server.AmqpUri, queue) is { Messages: 0 }, ServerScene.Finish,
            $"the command expired in {queue}\n{server}");
        await using var late = await CommandRecorder.StartAsync(rabbit.Server.AmqpUri, host);
        // The late worker reads the queue now, and the queue it reads is empty: nothing can reach it.
        await Eventually.Until(async () => await BrokerQueue.StateAsync(rabbit.Server.AmqpUri, queue) is { Consumers: > 0 }, ServerScene.Finish, "the late worker consuming");
        Assert.Equal((0u, 1u), await BrokerQueue.StateAsync(rabbit.Server.AmqpUri, queue));

        Assert.Empty(late.Received);
    }

    [Fact]
    public async Task A_worker_that_comes_within_the_command_timeout_gets_the_command()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("query-vm.yaml", Workflows.QueryVm.Replace("3s", "2m", StringComparison.Ordinal)));
        await using var server = await scene.StartServerAsync();
        var host = "soon-" + Guid.NewGuid().ToString("N")[..6];
        var (code, stdout, stderr) = await scene.RunStartAsync("query-vm", "--input", $"host={host}");
        Assert.True(code == 0, stderr);
        var id = stdout.Trim();

        // The command waits in the host's queue, no worker there, with the time-to-live of its step's commandTimeout (2m)
        // plus the 5s margin: not the 3s one's 8s after which the test above finds it gone.
        var queue = HostQueues.CommandQueue(host);
        await Eventually.Until(async () => await BrokerQueue.StateAsync(rabbit.Server.AmqpUri, queue) is { Messages: 1, Consumers: 0 }, ServerScene.Finish,
            $"the command waiting in {queue}\n{server}");
        Assert.Equal("125000", await BrokerQueue.PeekExpirationAsync(rabbit.Server.AmqpUri, queue));
        await using var late = await CommandRecorder.StartAsync(rabbit.Server.AmqpUri, host);

        var command = await Eventually.Until(() => Task.FromResult(late.Received.TryPeek(out var c) ? c : null), ServerScene.Finish, "the command");
        Assert.Equal(id, command.InstanceId);
        Assert.Equal(TimeSpan.FromMinutes(2), command.ReplyWithin);
    }
}
