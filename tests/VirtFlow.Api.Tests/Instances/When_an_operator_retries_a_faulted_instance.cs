using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Instances;

/// <summary><c>POST /api/instances/{id}/retry</c> on a real server: the faulted instance goes on from its step; refusals are problem details.</summary>
[Collection(ApiCollection.Name)]
public sealed class When_an_operator_retries_a_faulted_instance(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Workflow = """
        name: retry-me
        lock: "vm:${ inputs.vm }"
        inputs:
          vm: { type: string, required: true }
          fail: { type: boolean, default: true }
          hold: { type: boolean, default: false }
        steps:
          - { id: prepare, type: log, with: { message: "preparing ${ inputs.vm }" } }
          - { id: work, type: fail, if: "inputs.fail", with: { message: "work on ${ inputs.vm } failed" } }
          - { id: hold, type: waitEvent, if: "inputs.hold", with: { event: go, correlation: "${ inputs.vm }" } }
        """;

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task It_continues_from_the_faulted_step_and_answers_with_the_new_status(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output);
        var engine = api.Server.Engine;
        var id = await engine.StartAsync(Define(), new JsonObject { ["vm"] = "web1" });
        Assert.Equal(InstanceStatus.Faulted, (await engine.GetInstanceAsync(id))!.Status);

        var response = await api.Operator.PostAsJsonAsync($"/api/instances/{id}/retry", new { inputs = new { fail = false } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("work", answer["fromStep"]!.GetValue<string>());
        Assert.Equal("completed", answer["status"]!.GetValue<string>());
        var journal = await engine.GetJournalAsync(id);
        Assert.Single(journal, j => j.Kind == "InstanceRetried");
        Assert.Single(journal, j => j.Kind == "StepCompleted" && j.StepPath == "prepare");
    }

    [Fact]
    public async Task Refusals_are_problems_naming_the_reason_and_the_field()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var engine = api.Server.Engine;
        var faulted = await engine.StartAsync(Define(), new JsonObject { ["vm"] = "web1" });
        var done = await engine.StartAsync(Define(), new JsonObject { ["vm"] = "web2", ["fail"] = false });

        await Problems.AssertAsync(await api.Viewer.PostAsJsonAsync($"/api/instances/{faulted}/retry", new { }), HttpStatusCode.Forbidden);
        var missing = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/instances/nope/retry", new { }), HttpStatusCode.NotFound);
        Assert.Equal("no instance 'nope'", Problems.Detail(missing));
        var notFaulted = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync($"/api/instances/{done}/retry", new { }), HttpStatusCode.Conflict);
        Assert.Equal($"instance {done} is completed, not faulted: only a faulted instance can be retried", Problems.Detail(notFaulted));
        var step = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync($"/api/instances/{faulted}/retry", new { fromStep = "wrok" }), HttpStatusCode.BadRequest);
        Assert.Contains("has no step 'wrok'; did you mean 'work'?", step["errors"]!["fromStep"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var input = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync($"/api/instances/{faulted}/retry", new { inputs = new { fail = "no" } }), HttpStatusCode.BadRequest);
        Assert.NotNull(input["errors"]!["inputs.fail"]);
        Assert.Equal(InstanceStatus.Faulted, (await engine.GetInstanceAsync(faulted))!.Status);
    }

    [Fact]
    public async Task A_retry_whose_lock_another_instance_holds_is_409_naming_it()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output);
        var engine = api.Server.Engine;
        var faulted = await engine.StartAsync(Define(), new JsonObject { ["vm"] = "web1" });
        var holder = await engine.StartAsync(Define(), new JsonObject { ["vm"] = "web1", ["fail"] = false, ["hold"] = true });

        var locked = await Problems.AssertAsync(
            await api.Operator.PostAsJsonAsync($"/api/instances/{faulted}/retry", new { inputs = new { fail = false } }), HttpStatusCode.Conflict);

        Assert.Equal(holder, locked["holderInstanceId"]!.GetValue<string>());
        Assert.Equal("vm:web1", locked["lockKey"]!.GetValue<string>());
        Assert.StartsWith($"lock 'vm:web1' is held by instance {holder}", Problems.Detail(locked), StringComparison.Ordinal);
    }

    private static WorkflowDefinition Define() => WorkflowParser.Parse(Workflow, "retry-me.yaml").Definition!;
}
