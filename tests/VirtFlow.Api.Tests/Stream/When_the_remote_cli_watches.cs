using VirtFlow.Api.Tests.Support;
using VirtFlow.Cli.Commands;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>
/// <c>virtflow watch ID --server URL --api-key KEY</c> against a real server: the run view over the live stream, then
/// the same summary and exit code as <c>run</c>; a bad key or an unknown instance is one line, exit 1.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_the_remote_cli_watches(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Hello = """
        name: hello
        steps:
          - id: greet
            name: Say hello
            type: log
            with: { message: "hello" }
        """;

    private const string Failing = """
        name: failing
        steps:
          - id: boom
            type: fail
            with: { message: "disk vdb is gone", code: Gone }
        """;

    [Fact]
    public async Task It_shows_the_steps_then_exits_0_for_completed_1_for_faulted_and_1_for_a_bad_key()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            workflows: [("hello.yaml", Hello), ("failing.yaml", Failing)]);
        var server = api.BaseAddress.ToString();
        var hello = await api.Server.Engine.StartAsync(api.Server.Workflows.Find("hello")!);
        var failing = await api.Server.Engine.StartAsync(api.Server.Workflows.Find("failing")!);

        var (code, stdout, stderr) = await CliAsync("watch", hello, "--server", server, "--api-key", api.Keys["viewer"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("] step greet (Say hello) started\n", stdout, StringComparison.Ordinal);
        Assert.Contains("] step greet (Say hello) completed\n", stdout, StringComparison.Ordinal);
        Assert.Contains($"completed: hello {hello} in ", stdout, StringComparison.Ordinal);

        var (faultCode, _, faultErr) = await CliAsync("watch", failing, "--server", server, "--api-key", api.Keys["viewer"]);
        Assert.Equal(1, faultCode);
        Assert.Contains("faulted: step 'boom': disk vdb is gone", faultErr, StringComparison.Ordinal);

        var (jsonCode, json, _) = await CliAsync("watch", hello, "--server", server, "--api-key", api.Keys["viewer"], "--json");
        Assert.Equal(0, jsonCode);
        var lines = json.TrimEnd('\n').Split('\n');
        Assert.All(lines[..^1], l => Assert.StartsWith("{\"seq\":", l, StringComparison.Ordinal));
        Assert.Contains("\"status\":\"completed\"", lines[^1], StringComparison.Ordinal);

        var (badCode, _, badErr) = await CliAsync("watch", hello, "--server", server, "--api-key", "vf_wrong");
        Assert.Equal(1, badCode);
        Assert.Equal($"virtflow watch: {server.TrimEnd('/')}/: 401 the API key is unknown, revoked or expired\n", badErr);

        var (noneCode, _, noneErr) = await CliAsync("watch", "no-such", "--server", server, "--api-key", api.Keys["viewer"]);
        Assert.Equal(1, noneCode);
        Assert.Equal($"virtflow watch: {server.TrimEnd('/')}/: 404 no instance 'no-such'\n", noneErr);

        var (usage, _, usageErr) = await CliAsync("watch", hello);
        Assert.Equal(2, usage);
        Assert.Contains("--server URL is required", usageErr, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Err)> CliAsync(string verb, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var code = await RemoteCommand.RunAsync(verb, args, stdout, stderr, cts.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
