using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Api.Tests.Cli;

/// <summary>
/// <c>virtflow server --http URL</c> as a real process: its ready line names the bound address, <c>/healthz</c> answers
/// there, the body limit follows <c>VIRTFLOW_MAX_FILE_BYTES</c>/<c>VIRTFLOW_MAX_INPUT_BYTES</c> (413 as problem details),
/// <c>--http off</c> serves nothing, and a bad or busy address is one line naming <c>--http</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class When_virtflow_server_serves_http(RabbitMqFixture rabbit)
{
    private static readonly TimeSpan Ready = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task The_ready_line_names_the_address_and_the_body_limit_follows_the_input_limits()
    {
        var store = TestStore.Sqlite().Spec;
        var environment = new Dictionary<string, string> { ["VIRTFLOW_MAX_FILE_BYTES"] = "1024", ["VIRTFLOW_MAX_INPUT_BYTES"] = "2048" };
        await using var server = VirtFlowProcess.Start(environment, "server", "--rabbitmq", rabbit.Server.AmqpUri.ToString(), "--store", store,
            "--workflows", TestDirs.Create("workflows"), "--http", "http://127.0.0.1:0");
        await server.WaitForLineAsync("virtflow server ready", Ready);
        var address = new Uri(ReadyAddress().Match(server.Stdout).Groups[1].Value);
        var key = (await VirtFlowProcess.RunAsync(Ready, "keys", "create", "--store", store, "--role", "admin", "--name", "t")).Stdout.Trim();
        using var client = new HttpClient { BaseAddress = address };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/keys")).StatusCode);
        // 2048 + 64 KiB is the limit: 70,000 bytes are over it
        var body = new StringContent("""{"name": "big", "role": "viewer", "pad": """ + "\"" + new string('x', 70_000) + "\"}", System.Text.Encoding.UTF8, "application/json");
        var problem = await Problems.AssertAsync(await client.PostAsync("/api/keys", body), HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains((2048 + 64 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), Problems.Detail(problem), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_serves_nothing_and_a_bad_or_busy_address_names_http()
    {
        var store = TestStore.Sqlite().Spec;
        string[] Args(string http) => ["server", "--rabbitmq", rabbit.Server.AmqpUri.ToString(), "--store", store, "--workflows", TestDirs.Create("workflows"), "--http", http];

        await using (var off = VirtFlowProcess.Start(Args("off")))
        {
            await off.WaitForLineAsync("virtflow server ready", Ready);
            Assert.EndsWith(", http off", off.Stdout.Trim(), StringComparison.Ordinal);
        }

        var bad = await VirtFlowProcess.RunAsync(Ready, Args("ftp://nowhere"));
        Assert.True(bad.Code == 2, bad.Stderr);
        Assert.Contains("--http 'ftp://nowhere' is not an http:// URL", bad.Stderr, StringComparison.Ordinal);

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        var port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var taken = await VirtFlowProcess.RunAsync(Ready, Args($"http://127.0.0.1:{port}"));
        Assert.True(taken.Code == 1, taken.Stderr);
        Assert.Contains($"virtflow server: --http http://127.0.0.1:{port}: cannot listen", taken.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"virtflow server ready:.*, http (http://\S+)")]
    private static partial Regex ReadyAddress();
}
