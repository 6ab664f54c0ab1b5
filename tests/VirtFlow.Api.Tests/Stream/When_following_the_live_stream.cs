using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Client;
using VirtFlow.Hosting.Embedded;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Hosting.Worker;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Stream;

/// <summary>
/// The live stream on a real server (Kestrel, RabbitMQ, SQLite or PostgreSQL) and a real worker with QEMU:
/// copy-disks-pivot followed to its end with per-disk progress, the connection dropped mid-way and resumed by
/// sequence with nothing lost and nothing twice; the key in a header or in <c>?access_token=</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_following_the_live_stream(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);
    private static readonly string CopyDisksPivot = Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml");

    private const string Hello = """
        name: hello
        steps:
          - id: greet
            type: log
            with: { message: "hello" }
        """;

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task Copy_disks_pivot_is_followed_to_its_end_with_disk_progress_across_a_reconnect_nothing_lost_or_twice(string kind)
    {
        await using var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = 8L << 20, StartRunning = true });
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output,
            workflows: ("copy-disks-pivot.yaml", await File.ReadAllTextAsync(CopyDisksPivot)));
        var worker = new VirtFlowWorkerOptions { HostId = "local", RabbitMq = rabbit.Server.AmqpUri };
        worker.Vms.Add(new VmSpec("vm1", vm.QmpSocketPath));
        worker.StorageRoots.Add(vm.Dir);
        await using var host = await VirtFlowWorkerHost.StartAsync(worker);
        var inputs = new JsonObject
        {
            ["vm"] = "vm1",
            ["quiesce"] = "pause",
            ["disks"] = new JsonArray(
                new JsonObject { ["device"] = "vda", ["target"] = Path.Combine(vm.Dir, "moved-vda.qcow2") },
                new JsonObject { ["device"] = "vdb", ["target"] = Path.Combine(vm.Dir, "moved-vdb.qcow2") }),
        };
        var id = await api.Server.Engine.StartAsync(api.Server.Workflows.Find("copy-disks-pivot")!, inputs);
        using var client = new VirtFlowApiClient(api.BaseAddress, api.Keys["viewer"]);
        using var cts = new CancellationTokenSource(Wait);

        // First connection: until the first disk progress, then the connection is dropped.
        var seen = new List<LiveEvent>();
        await foreach (var item in client.StreamAsync(id, null, cts.Token))
        {
            var e = Assert.IsType<LiveStreamItem.Event>(item).Value;
            seen.Add(e);
            if (e.Kind == "Progress") break;
        }
        var firstPart = seen.Count;
        // Second connection: from the last sequence seen, to the end.
        LiveStreamItem.End? end = null;
        await foreach (var item in client.StreamAsync(id, seen[^1].Seq, cts.Token))
        {
            if (item is LiveStreamItem.End e) end = e;
            else seen.Add(Assert.IsType<LiveStreamItem.Event>(item).Value);
        }

        Assert.NotNull(end);
        Assert.Equal("completed", end.Status);
        // The instance's stream ends with the instance: lines journaled after its end (a late, ignored job event) are on /api/stream.
        var all = await api.Server.Services.GetRequiredService<IWorkflowStore>().GetJournalAsync(id);
        var journal = all.Where(j => j.Sequence <= end.LastSeq).ToList();
        Assert.Equal("InstanceCompleted", journal[^1].Kind);
        output.WriteLine($"after the end: {string.Join(", ", all.Skip(journal.Count).Select(j => j.Kind))}");
        Assert.Equal(journal.Select(j => j.Sequence), seen.Select(e => e.Seq));
        Assert.True(seen.Count > firstPart, "the second connection carried the rest");
        Assert.Equal(journal.Select(j => j.Kind), seen.Select(e => e.Kind));
        foreach (var disk in new[] { "vda", "vdb" })
            Assert.Contains(seen, e => e.Kind == "Progress" && e.Data?["device"]?.GetValue<string>() == disk && e.Data?["length"]?.GetValue<long>() > 0);
        foreach (var kind2 in new[] { "InstanceStarted", "StepStarted", "StepCompleted", "MirrorReady", "Pivoted", "InstanceCompleted" })
            Assert.Contains(seen, e => e.Kind == kind2);
    }

    [Fact]
    public async Task The_stream_of_all_instances_takes_the_key_in_a_header_or_as_access_token_and_refuses_none()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: ("hello.yaml", Hello));
        using var cts = new CancellationTokenSource(Wait);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous.GetAsync("/api/stream?access_token=vf_wrong", HttpCompletionOption.ResponseHeadersRead, cts.Token)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Viewer.GetAsync("/api/instances/no-such/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token)).StatusCode);

        using var browser = new HttpClient { BaseAddress = api.BaseAddress };
        browser.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
        using (var refused = await browser.GetAsync("/api/stream?access_token=vf_wrong", HttpCompletionOption.ResponseHeadersRead, cts.Token))
        {
            // An EventSource accepts only text/event-stream: the refusal is still a 401 problem, not a 500.
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("unknown, revoked or expired", await refused.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
        }
        using var response = await browser.GetAsync($"/api/stream?access_token={Uri.EscapeDataString(api.Keys["viewer"])}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var ids = new[]
        {
            await api.Server.Engine.StartAsync(api.Server.Workflows.Find("hello")!),
            await api.Server.Engine.StartAsync(api.Server.Workflows.Find("hello")!),
        };
        var completed = new HashSet<string>();
        var last = 0L;
        await foreach (var message in ServerSentEvents.ReadAsync(await response.Content.ReadAsStreamAsync(cts.Token), cts.Token))
        {
            var e = System.Text.Json.JsonSerializer.Deserialize<LiveEvent>(message.Data)!;
            Assert.Equal(e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Id);
            Assert.True(e.Seq > last, "in sequence order, each once");
            last = e.Seq;
            if (e.Kind == "InstanceCompleted") completed.Add(e.InstanceId);
            if (completed.SetEquals(ids)) break;
        }
        Assert.Equal(ids.ToHashSet(), completed);
    }
}
