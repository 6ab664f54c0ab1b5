using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Instances.InstanceWorkflows;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>
/// <c>GET /api/instances/{id}</c> with each step's state, <c>/journal</c> after a sequence, <c>/cancel</c> (409 once it
/// ended), and <c>POST /api/events</c> waking the instance that waits for it, on a real server.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_an_instance_is_read_cancelled_or_woken_over_http(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task An_event_wakes_the_waiting_instance_and_the_detail_and_journal_show_each_step(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: All);
        var id = await StartAsync(api.Operator, "web1");
        var other = await StartAsync(api.Operator, "web2");

        var waiting = await GetJsonAsync(api.Viewer, $"/api/instances/{id}");
        Assert.Equal("suspended", waiting["status"]!.GetValue<string>());
        var wait = Assert.Single(waiting["steps"]!.AsArray());
        Assert.Equal(("wait", "wait", "waitEvent", "suspended"), (wait!["path"]!.GetValue<string>(), wait["id"]!.GetValue<string>(),
            wait["type"]!.GetValue<string>(), wait["status"]!.GetValue<string>()));
        var before = await GetJsonAsync(api.Viewer, $"/api/instances/{id}/journal");
        var mark = before["next"]!.GetValue<long>();

        var sent = await api.Operator.PostAsJsonAsync("/api/events", new JsonObject
        {
            ["name"] = "go", ["correlation"] = "web1", ["data"] = new JsonObject { ["by"] = "test" }, ["id"] = "go-web1",
        });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var receipt = (await sent.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("event:go:web1", false, 1), (receipt["key"]!.GetValue<string>(), receipt["duplicate"]!.GetValue<bool>(), receipt["waiting"]!.GetValue<int>()));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(InstanceStatus.Completed, (await api.Server.Engine.WaitForCompletionAsync(id, timeout.Token)).Status);
        Assert.Equal(InstanceStatus.Suspended, (await api.Server.Engine.GetInstanceAsync(other))!.Status);

        var again = await (await api.Operator.PostAsJsonAsync("/api/events", new JsonObject { ["name"] = "go", ["correlation"] = "web1", ["id"] = "go-web1" }))
            .Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(again!["duplicate"]!.GetValue<bool>());

        var done = await GetJsonAsync(api.Viewer, $"/api/instances/{id}");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal("web1", done["inputs"]!["vm"]!.GetValue<string>());
        Assert.Equal(("gated", 1), (done["workflow"]!.GetValue<string>(), done["version"]!.GetValue<int>()));
        var steps = done["steps"]!.AsArray();
        Assert.Equal(["wait", "done"], steps.Select(s => s!["path"]!.GetValue<string>()));
        Assert.All(steps, s => Assert.Equal("completed", s!["status"]!.GetValue<string>()));
        Assert.Equal(1, steps[1]!["attempts"]!.GetValue<int>());
        Assert.NotNull(steps[1]!["startedAt"]);
        Assert.NotNull(steps[1]!["completedAt"]);

        var after = await GetJsonAsync(api.Viewer, $"/api/instances/{id}/journal?after={mark}");
        var lines = after["items"]!.AsArray();
        Assert.All(lines, l => Assert.True(l!["sequence"]!.GetValue<long>() > mark));
        Assert.Contains(lines, l => l!["kind"]!.GetValue<string>() == "InstanceCompleted");
        Assert.DoesNotContain(lines, l => l!["kind"]!.GetValue<string>() == "InstanceStarted");
        var one = await GetJsonAsync(api.Viewer, $"/api/instances/{id}/journal?limit=1");
        Assert.Equal("InstanceStarted", Assert.Single(one["items"]!.AsArray())!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_ends_a_waiting_instance_with_the_reason_then_answers_409_and_an_unknown_id_is_404()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);
        var id = await StartAsync(api.Operator, "web1");

        await Problems.AssertAsync(await api.Viewer.PostAsync($"/api/instances/{id}/cancel", null), HttpStatusCode.Forbidden);
        var cancel = await api.Operator.PostAsJsonAsync($"/api/instances/{id}/cancel", new JsonObject { ["reason"] = "change window closed" });

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("cancelled", (await cancel.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        var instance = (await api.Server.Engine.GetInstanceAsync(id))!;
        Assert.Equal(InstanceStatus.Cancelled, instance.Status);
        Assert.Contains("change window closed", instance.Fault, StringComparison.Ordinal);

        var twice = await Problems.AssertAsync(await api.Operator.PostAsync($"/api/instances/{id}/cancel", null), HttpStatusCode.Conflict);
        Assert.Equal($"instance {id} already ended (cancelled): nothing to cancel", Problems.Detail(twice));
        var unknown = await Problems.AssertAsync(await api.Operator.PostAsync("/api/instances/nope/cancel", null), HttpStatusCode.NotFound);
        Assert.Equal("no instance 'nope'", Problems.Detail(unknown));
        await Problems.AssertAsync(await api.Viewer.GetAsync("/api/instances/nope"), HttpStatusCode.NotFound);
        await Problems.AssertAsync(await api.Viewer.GetAsync("/api/instances/nope/journal"), HttpStatusCode.NotFound);
        var badAfter = await Problems.AssertAsync(await api.Viewer.GetAsync($"/api/instances/{id}/journal?after=-1"), HttpStatusCode.BadRequest);
        Assert.NotNull(badAfter["errors"]!["after"]);
    }

    [Fact]
    public async Task An_event_without_a_name_is_400_naming_it_and_a_viewer_may_not_send_one()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);

        var problem = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/events", new JsonObject { ["correlation"] = "web1" }), HttpStatusCode.BadRequest);

        Assert.Equal("the event's name is missing", problem["errors"]!["name"]![0]!.GetValue<string>());
        await Problems.AssertAsync(await api.Viewer.PostAsJsonAsync("/api/events", new JsonObject { ["name"] = "go" }), HttpStatusCode.Forbidden);
    }
}
