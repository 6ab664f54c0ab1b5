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
        var (code, stdout, stderr) = await scene.RunStartAsync("query-vm", "--input", $"host={host}", "--wait");
        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");

        // The command's time-to-live is its step's commandTimeout (3s) plus a 5s margin: gone from the queue by now.
        await Task.Delay(TimeSpan.FromSeconds(9));
        await using var late = await CommandRecorder.StartAsync(rabbit.Server.AmqpUri, host);
        await Task.Delay(TimeSpan.FromSeconds(3));

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

        await Task.Delay(TimeSpan.FromSeconds(9));
        await using var late = await CommandRecorder.StartAsync(rabbit.Server.AmqpUri, host);

        var command = await Eventually.Until(() => Task.FromResult(late.Received.TryPeek(out var c) ? c : null), ServerScene.Finish, "the command");
        Assert.Equal(id, command.InstanceId);
        Assert.Equal(TimeSpan.FromMinutes(2), command.ReplyWithin);
    }
}
