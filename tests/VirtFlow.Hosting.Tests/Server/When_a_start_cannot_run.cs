using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Server;

/// <summary>What the server and the start client say when something is wrong: one line naming the culprit, exit 2 or 1.</summary>
[Collection(ServerCollection.Name)]
public sealed class When_a_start_cannot_run(RabbitMqFixture rabbit)
{
    [Fact]
    public async Task An_unknown_workflow_name_exits_2_with_a_line_naming_it_and_the_known_ones()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("no-such-flow", "--wait");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("unknown workflow 'no-such-flow'", line, StringComparison.Ordinal);
        Assert.Contains("compute", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inputs_that_do_not_fit_the_workflow_exit_2_naming_the_input()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec, ("compute.yaml", Workflows.Compute));
        await using var server = await scene.StartServerAsync();

        var (code, stdout, stderr) = await scene.RunStartAsync("compute", "--input", "n=\"not a number\"", "--wait", "--json");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Equal("rejected", ServerScene.Document(stdout)["status"]!.GetValue<string>());
        Assert.Contains("'n'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workflow_folder_with_an_invalid_file_stops_the_server_with_file_line_col()
    {
        var scene = await ServerScene.CreateAsync(rabbit.Server.AmqpUri, TestStore.Sqlite().Spec,
            ("compute.yaml", Workflows.Compute),
            ("broken.yaml", "name: broken\nsteps:\n  - id: a\n    type: no.such.activity\n"));

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(ServerScene.Finish,
            "server", "--rabbitmq", scene.RabbitMq, "--store", scene.Store, "--workflows", scene.WorkflowDir);

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.DoesNotContain("virtflow server ready", stdout, StringComparison.Ordinal);
        Assert.Matches(@"broken\.yaml:4:\d+: ", stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server|--store|sqlite:/tmp/x.db|--workflows|/tmp", "--rabbitmq URI is required")]
    [InlineData("server|--rabbitmq|memory:|--store|sqlite:/tmp/x.db|--workflows|/tmp", "--rabbitmq 'memory:' is not a RabbitMQ URI")]
    [InlineData("server|--rabbitmq|amqp://guest:guest@127.0.0.1:1/|--store|memory:|--workflows|/tmp", "--store: a server needs a store")]
    [InlineData("server|--rabbitmq|amqp://guest:guest@127.0.0.1:1/|--store|sqlite:/tmp/x.db|--workflows|/no/such/dir", "--workflows '/no/such/dir': no such folder")]
    [InlineData("start|compute|--input|n=1", "--rabbitmq URI or --server URL is required")]
    [InlineData("start|compute|--rabbitmq|amqp://guest:guest@127.0.0.1:1/|--timeout|soon|--wait", "--timeout 'soon' is not a positive duration")]
    [InlineData("start|compute|--rabbitmq|amqp://guest:guest@127.0.0.1:1/|--input|novalue", "--input 'novalue': expected NAME=VALUE")]
    public async Task Bad_usage_exits_2_with_one_line_naming_the_option(string args, string expected)
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(ServerScene.Finish, args.Split('|'));

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broker_that_cannot_be_reached_exits_1_with_one_line_naming_it()
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(ServerScene.Finish, "start", "compute", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/", "--wait");

        Assert.True(code == 1, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virtflow start: cannot reach the broker amqp://127.0.0.1:1/ (--rabbitmq)", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_FILE_with_an_invalid_file_exits_2_with_file_line_col_before_sending_anything()
    {
        var file = Path.Combine(TestDirs.Create("client"), "bad.yaml");
        await File.WriteAllTextAsync(file, "name: bad\nsteps:\n  - id: a\n    type: script\n    with: { code: \"return 1;\" }\n    bogus: 1\n");

        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(ServerScene.Finish, "start", file, "--rabbitmq", rabbit.Server.AmqpUri.ToString(), "--wait");

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Matches(@"bad\.yaml:\d+:\d+: ", stderr);
    }
}
