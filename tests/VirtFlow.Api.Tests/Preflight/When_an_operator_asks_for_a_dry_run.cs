using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Preflight;

/// <summary><c>POST /api/preflight</c> on a real server: a plan with every problem, and nothing started or stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class When_an_operator_asks_for_a_dry_run(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Holder = """
        name: holder
        lock: "vm:${ inputs.host }/${ inputs.vm }"
        inputs: { host: { type: string }, vm: { type: string } }
        steps: [ { id: hold, type: waitEvent, with: { event: go, correlation: x } } ]
        """;

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task The_plan_names_the_lock_holder_and_nothing_is_started(string kind)
    {
        var shipped = await File.ReadAllTextAsync(Path.Combine(TestDirs.RepoRoot, "workflows", "copy-disks-pivot.yaml"));
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output,
            workflows: [("copy-disks-pivot.yaml", shipped), ("holder.yaml", Holder)]);
        var host = "h-" + Guid.NewGuid().ToString("N")[..6];
        var holder = await api.Server.Engine.StartAsync(WorkflowParser.Parse(Holder, "holder.yaml").Definition!, new JsonObject { ["host"] = host, ["vm"] = "web1" });
        var store = (IWorkflowStore)api.Server.Services.GetService(typeof(IWorkflowStore))!;
        var before = (await api.Server.Engine.GetJournalAsync(holder)).Count;

        var response = await api.Operator.PostAsJsonAsync("/api/preflight", new
        {
            workflow = "copy-disks-pivot",
            inputs = new { host, vm = "web1", disks = new[] { new { device = "vda", target = "/srv/new/vda.qcow2" } } },
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(plan["canRun"]!.GetValue<bool>());
        Assert.Equal(holder, plan["lockHolder"]!.GetValue<string>());
        Assert.Equal($"vm:{host}/web1", plan["lockKey"]!.GetValue<string>());
        var problems = plan["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.Equal($"lock 'vm:{host}/web1' is held by instance {holder}: a start now would be refused until it ends", problems[0]);
        Assert.Equal("vda", plan["disks"]![0]!["device"]!.GetValue<string>());
        Assert.Single(await store.ListInstancesAsync(new InstanceQuery()));
        Assert.Equal(before, (await api.Server.Engine.GetJournalAsync(holder)).Count);
    }

    [Fact]
    public async Task An_unknown_workflow_is_404_and_a_viewer_may_not_ask()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: [("holder.yaml", Holder)]);

        var unknown = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/preflight", new { workflow = "nope" }), HttpStatusCode.NotFound);
        Assert.Equal("unknown workflow 'nope' (this server knows: holder)", Problems.Detail(unknown));
        await Problems.AssertAsync(await api.Viewer.PostAsJsonAsync("/api/preflight", new { workflow = "holder" }), HttpStatusCode.Forbidden);
    }
}
