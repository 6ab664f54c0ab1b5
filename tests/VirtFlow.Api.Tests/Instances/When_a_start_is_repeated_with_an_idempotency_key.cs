using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Engine.Storage.Paging;
using VirtFlow.Hosting.Tests.Support;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Instances.InstanceWorkflows;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>
/// <c>Idempotency-Key</c>: the first start answers 201, a repeat with the same key and body 200 with the same id and starts
/// nothing; the same key with another body is 422 naming the key; keys are per caller; two servers on one PostgreSQL
/// receiving the same repeats at once start one instance.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_a_start_is_repeated_with_an_idempotency_key(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    private static HttpRequestMessage Post(string key, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<(HttpStatusCode Status, string Id)> SendAsync(HttpClient client, string key, JsonObject body)
    {
        var response = await client.SendAsync(Post(key, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("/api/instances/" + JsonNode.Parse(text)!["id"]!.GetValue<string>(), response.Headers.Location?.OriginalString);
        return (response.StatusCode, JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    private static async Task<int> CountAsync(ApiServer api, string vm) =>
        (await ((IInstanceListStore)api.Server.Engine.Store).ListInstancePageAsync(new InstancePageQuery { Vm = vm })).Items.Count;

    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task A_repeat_answers_200_with_the_same_id_and_starts_nothing(string kind)
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(kind, postgres), output, workflows: All);

        var first = await SendAsync(api.Operator, "move-web1", Start("web1"));
        var repeat = await SendAsync(api.Operator, "move-web1", Start("web1"));

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal((HttpStatusCode.OK, first.Id), repeat);
        Assert.Equal(1, await CountAsync(api, "web1"));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_naming_the_key_and_a_fresh_key_starts_anew()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);
        var first = await SendAsync(api.Operator, "move-web1", Start("web1"));

        var problem = await Problems.AssertAsync(await api.Operator.SendAsync(Post("move-web1", Start("web1", host: "h2"))), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("Idempotency-Key", problem["field"]!.GetValue<string>());
        Assert.Equal(first.Id, problem["instanceId"]!.GetValue<string>());
        Assert.Contains("'move-web1' was used for a different request", Problems.Detail(problem), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(api.Operator, "move-web1-again", Start("web1", host: "h2"))).Status);
        Assert.Equal(2, await CountAsync(api, "web1"));
    }

    [Fact]
    public async Task A_key_is_per_caller_and_a_refused_start_does_not_hold_its_key()
    {
        await using var api = await ApiServer.StartAsync(rabbit.Server, await ApiStores.CreateAsync(ApiStores.Sqlite, postgres), output, workflows: All);
        var mine = await SendAsync(api.Operator, "k", Start("web1"));

        var theirs = await SendAsync(api.Admin, "k", Start("web1"));

        Assert.Equal(HttpStatusCode.Created, theirs.Status);
        Assert.NotEqual(mine.Id, theirs.Id);

        var bad = new JsonObject { ["workflow"] = "gated", ["inputs"] = new JsonObject() };
        await Problems.AssertAsync(await api.Operator.SendAsync(Post("retry-me", bad)), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(api.Operator, "retry-me", Start("web2"))).Status);

        await Problems.AssertAsync(await api.Operator.SendAsync(Post("has space", Start("web3"))), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Two_servers_on_one_postgres_receiving_the_same_repeats_at_once_start_one_instance()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        await using var one = await ApiServer.StartAsync(rabbit.Server, store, output, workflows: All);
        await using var two = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false, workflows: All);
        var clients = new[] { one.Operator, two.NewClient(one.Keys["operator"]) };

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => SendAsync(clients[i % 2], "once", Start("web9"))));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.Single(answers.Select(a => a.Id).Distinct());
        Assert.Equal(1, await CountAsync(one, "web9"));
    }
}
