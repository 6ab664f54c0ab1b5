using VirtFlow.Testing;

namespace VirtFlow.Hosting.Tests.Worker;

/// <summary><c>virtflow worker</c> with bad usage: exit code 2 and one line naming the option, before touching any broker.</summary>
public sealed class When_virtflow_worker_is_given_bad_options
{
    private static readonly TimeSpan Exit = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--host-id is required", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/", "--vm", "vm1=qmp:/tmp/x.sock")]
    [InlineData("--rabbitmq is required", "--host-id", "hv1", "--vm", "vm1=qmp:/tmp/x.sock")]
    [InlineData("--rabbitmq 'not a uri' is not a RabbitMQ URI", "--host-id", "hv1", "--rabbitmq", "not a uri")]
    [InlineData("--vm: 'vm1' is not name=qmp:PATH", "--host-id", "hv1", "--rabbitmq", "amqp://127.0.0.1/", "--vm", "vm1")]
    [InlineData("--lease 'soon' is not a duration", "--host-id", "hv1", "--rabbitmq", "amqp://127.0.0.1/", "--lease", "soon")]
    [InlineData("unknown option '--hots-id'", "--hots-id", "hv1")]
    [InlineData("--config: /nonexistent/appsettings.json: no such file", "--config", "/nonexistent/appsettings.json")]
    [InlineData("--storage-root is required (or VirtFlow:Worker:StorageRoots)", "--host-id", "hv1", "--rabbitmq", "amqp://guest:guest@127.0.0.1:1/", "--vm", "vm1=qmp:/tmp/x.sock")]
    [InlineData("--allow-qmp 'rm -rf' is not a QMP command name", "--host-id", "hv1", "--rabbitmq", "amqp://127.0.0.1/", "--storage-root", "/tmp", "--allow-qmp", "rm -rf")]
    [InlineData("--vm: VM 'vm1' is given twice", "--host-id", "hv1", "--rabbitmq", "amqp://127.0.0.1/", "--vm", "vm1=qmp:/tmp/a", "--vm", "vm1=qmp:/tmp/b")]
    public async Task It_exits_2_with_one_line_naming_the_option(string expected, params string[] args)
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(Exit, ["worker", .. args]);

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("virtflow worker: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task A_config_file_that_is_not_json_is_named()
    {
        var dir = TestDirs.Create("worker-config");
        var file = Path.Combine(dir, "appsettings.json");
        await File.WriteAllTextAsync(file, "{ \"VirtFlow\": { \"Worker\": ");

        var (code, _, stderr) = await VirtFlowProcess.RunAsync(Exit, "worker", "--config", file);

        Assert.Equal(2, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, line, StringComparison.Ordinal);
    }
}
