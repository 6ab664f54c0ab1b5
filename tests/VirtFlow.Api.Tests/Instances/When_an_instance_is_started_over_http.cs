using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Paging;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Instances.InstanceWorkflows;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>
/// <c>POST /api/instances</c> on a real server: 201 + Location; the workflow comes from the catalog (the published version,
/// or the one asked for, as published through <c>/api/workflows</c>); every refusal names its field.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_an_instance_is_started_over_http(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_start_answers_201_with_Location_and_the_instance_runs_the_version_published_through_the_api(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: All);
        await PublishGatedV2Async(api.Admin);

        var response = await api.Operator.PostAsJsonAsync("/api/instances", Start("web1"));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body!["id"]!.GetValue<string>();
        Assert.Equal($"/api/instances/{id}", response.Headers.Location?.OriginalString);
        var instance = await api.Server.Engine.GetInstanceAsync(id);
        Assert.NotNull(instance);
        Assert.Equal(("gated", 2, InstanceStatus.Suspended, "web1"), (instance.WorkflowName, instance.WorkflowVersion, instance.Status, instance.Input["vm"]!.GetValue<string>()));
        Assert.Equal(2, (await GetJsonAsync(api.Viewer, $"/api/instances/{id}"))["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_version_picks_one_of_the_catalog_versions_and_the_correlation_is_kept()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);
        await PublishGatedV2Async(api.Admin);
        var request = Start("web1");
        request["version"] = 1;
        request["correlationId"] = "change-42";

        var response = await api.Operator.PostAsJsonAsync("/api/instances", request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var instance = (await api.Server.Engine.GetInstanceAsync(id))!;
        Assert.Equal((1, "change-42"), (instance.WorkflowVersion, instance.CorrelationId));
    }

    [Fact]
    public async Task Every_refusal_is_a_problem_naming_its_field_and_starts_nothing()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);
        await PublishGatedV2Async(api.Admin);

        var unknown = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/instances", Start("web1", workflow: "nope")), HttpStatusCode.NotFound);
        Assert.Equal("unknown workflow 'nope' (this server knows: gated)", Problems.Detail(unknown));
        Assert.Equal("workflow", unknown["field"]!.GetValue<string>());

        var noVersion = Start("web1");
        noVersion["version"] = 9;
        var missingVersion = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/instances", noVersion), HttpStatusCode.NotFound);
        Assert.Equal("workflow 'gated' has no version 9 (it has: 1, 2)", Problems.Detail(missingVersion));

        var noVm = new JsonObject { ["workflow"] = "gated", ["inputs"] = new JsonObject { ["count"] = "many" } };
        var badInputs = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/instances", noVm), HttpStatusCode.BadRequest);
        var errors = badInputs["errors"]!.AsObject();
        Assert.Contains("input 'vm' is required", errors["inputs.vm"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("input 'count' must be an integer", errors["inputs.count"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var noWorkflow = await Problems.AssertAsync(await api.Operator.PostAsJsonAsync("/api/instances", new JsonObject { ["inputs"] = new JsonObject() }), HttpStatusCode.BadRequest);
        Assert.NotNull(noWorkflow["errors"]!["workflow"]);

        var notJson = await Problems.AssertAsync(await api.Operator.PostAsync("/api/instances",
            new StringContent("""{"workflow":"gated","inputs":[1]}""", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.Contains("$.inputs", Problems.Detail(notJson), StringComparison.Ordinal);

        await Problems.AssertAsync(await api.Viewer.PostAsJsonAsync("/api/instances", Start("web1")), HttpStatusCode.Forbidden);
        var none = await ((IInstanceListStore)api.Server.Engine.Store).ListInstancePageAsync(new InstancePageQuery());
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task Inputs_over_the_input_limit_are_refused_naming_the_largest()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output,
            configure: o => o.Engine = o.Engine with { MaxInputBytes = 1024 }, workflows: All);

        var response = await api.Operator.PostAsJsonAsync("/api/instances", Start(new string('x', 2000)));

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("more than 1,024 bytes", problem["errors"]!["inputs.vm"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_answers_the_plan_of_the_version_asked_for_and_starts_nothing()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);

        var response = await api.Operator.PostAsJsonAsync("/api/instances?dryRun=true",
            new JsonObject { ["workflow"] = "gated", ["version"] = 1, ["inputs"] = new JsonObject { ["host"] = "h1" } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("gated", 1, false), (plan["workflow"]!.GetValue<string>(), plan["version"]!.GetValue<int>(), plan["canRun"]!.GetValue<bool>()));
        Assert.Contains("vm", Assert.Single(plan["problems"]!.AsArray())!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await ((IInstanceListStore)api.Server.Engine.Store).ListInstancePageAsync(new InstancePageQuery())).Items);
    }
}
