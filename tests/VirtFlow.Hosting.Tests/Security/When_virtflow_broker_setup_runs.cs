using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Security;

/// <summary>
/// <c>virtflow broker setup</c> as a process: prints every role's URI once (with a password only when it set one), is
/// idempotent, rotates on request, and reports a refused admin login in one line. The URIs it prints work. Its own broker
/// (a class fixture): rotating the server's and client's passwords must not touch the other tests' users.
/// </summary>
public sealed class When_virtflow_broker_setup_runs(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly TimeSpan Finish = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task It_prints_each_roles_uri_once_keeps_users_on_a_rerun_and_rotates_on_request()
    {
        var vhost = "setup-" + Guid.NewGuid().ToString("N")[..6];
        string[] args = ["broker", "setup", "--rabbitmq", broker.Server.AmqpUri.ToString(), "--management", broker.Server.ManagementUri!.ToString(),
            "--hosts", "a1,a2", "--vhost", vhost];

        var first = await VirtFlowProcess.RunAsync(Finish, args);

        Assert.True(first.Code == 0, first.Stderr);
        var lines = first.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var worker = Assert.Single(lines, l => l.StartsWith("worker-a1 ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("worker-a2 ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("server ", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("client ", StringComparison.Ordinal));
        // The fixture created these users already in another vhost: here they are kept, only the new ones are created.
        Assert.Contains("(created)", worker, StringComparison.Ordinal);
        var uri = new Uri(worker.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal("/" + vhost, uri.AbsolutePath);
        Assert.Null(await RawAmqp.PublishAsync(uri, "VirtFlow.Contracts:CommandResult", userId: "virtflow-worker-a1"));
        Assert.StartsWith("403 ACCESS_REFUSED", await RawAmqp.PublishAsync(uri, "virtflow-host-a2"), StringComparison.Ordinal);

        var again = await VirtFlowProcess.RunAsync(Finish, args);
        Assert.True(again.Code == 0, again.Stderr);
        Assert.Equal(4, again.Stdout.Split('\n').Count(l => l.Contains("(kept: existing password unchanged; --rotate for a new one)", StringComparison.Ordinal)));
        Assert.Null(await RawAmqp.PublishAsync(uri, "VirtFlow.Contracts:CommandResult", userId: "virtflow-worker-a1"));

        var rotated = await VirtFlowProcess.RunAsync(Finish, [.. args, "--rotate"]);
        Assert.True(rotated.Code == 0, rotated.Stderr);
        Assert.Contains("(rotated)", rotated.Stdout, StringComparison.Ordinal);
        var newUri = new Uri(rotated.Stdout.Split('\n').Single(l => l.StartsWith("worker-a1 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.NotEqual(uri.UserInfo, newUri.UserInfo);
        Assert.Null(await RawAmqp.PublishAsync(newUri, "VirtFlow.Contracts:CommandResult", userId: "virtflow-worker-a1"));
        await Assert.ThrowsAnyAsync<RabbitMQ.Client.Exceptions.BrokerUnreachableException>(() => RawAmqp.PublishAsync(uri, "VirtFlow.Contracts:CommandResult"));
    }

    [Fact]
    public async Task A_refused_admin_login_is_one_line_and_exit_1()
    {
        var wrong = new UriBuilder(broker.Server.AmqpUri) { Password = "wrong" }.Uri;

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Finish, "broker", "setup", "--rabbitmq", wrong.ToString(),
            "--management", broker.Server.ManagementUri!.ToString(), "--hosts", "x1");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virtflow broker setup: the management API", line, StringComparison.Ordinal);
        Assert.Contains("HTTP 401 the admin user was refused", line, StringComparison.Ordinal);
    }
}
