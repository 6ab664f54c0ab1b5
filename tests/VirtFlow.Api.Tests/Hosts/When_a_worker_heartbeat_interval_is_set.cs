using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Hosts;

/// <summary>
/// A real <c>virtflow worker</c> process serving a real QEMU, its heartbeat interval set by <c>--heartbeat</c> or by
/// <c>VirtFlow:Worker:HeartbeatInterval</c> in its appsettings: a real server's <c>GET /api/hosts</c> sees its reports
/// that often (with the default 30 s it would see one report in the time the test waits); a value out of range exits 2
/// naming it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_worker_heartbeat_interval_is_set(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData("flag")]
    [InlineData("appsettings")]
    public async Task The_server_sees_a_report_that_often(string how)
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 1, StartRunning = true });
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var hostId = "hb-" + Guid.NewGuid().ToString("N")[..8];
        string[] setting;
        if (how == "flag")
        {
            setting = ["--heartbeat", "1s"];
        }
        else
        {
            var config = Path.Combine(TestDirs.Create("worker-config"), "appsettings.json");
            await File.WriteAllTextAsync(config, """{ "VirtFlow": { "Worker": { "HeartbeatInterval": "1s" } } }""");
            setting = ["--config", config];
        }
        await using var worker = VirtFlowProcess.Start(["worker", "--host-id", hostId, "--rabbitmq", rabbit.Server.AmqpUri.ToString(),
            "--vm", $"web1=qmp:{vm.QmpSocketPath}", "--storage-root", vm.Dir, .. setting]);
        await worker.WaitForLineAsync("virtflow worker ready", TimeSpan.FromSeconds(120));

        // Distinct "last seen" times of the host, as the server lists it: three of them within 20 s.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await Eventually.Until(async () =>
        {
            var hosts = await api.Viewer.GetFromJsonAsync<JsonArray>("/api/hosts");
            if (hosts!.OfType<JsonObject>().FirstOrDefault(h => h["hostId"]!.GetValue<string>() == hostId) is { } host && host["online"]!.GetValue<bool>())
                seen.Add(host["lastSeen"]!.ToJsonString());
            return seen.Count >= 3;
        }, TimeSpan.FromSeconds(20), $"three reports of host {hostId} (heartbeat 1s by {how})");
    }

    [Theory]
    [InlineData("2m")]
    [InlineData("soon")]
    [InlineData("0s")]
    public async Task A_value_out_of_range_exits_2_naming_it(string value)
    {
        var (code, stdout, stderr) = await VirtFlowProcess.RunAsync(TimeSpan.FromSeconds(60),
            "worker", "--host-id", "hv1", "--rabbitmq", "amqp://127.0.0.1/", "--storage-root", "/tmp", "--heartbeat", value);

        Assert.True(code == 2, $"exit {code}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"--heartbeat '{value}' (VirtFlow:Worker:HeartbeatInterval) is not a duration from 1s to 30s", line, StringComparison.Ordinal);
    }
}
