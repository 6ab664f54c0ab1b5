using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Api.Tests.Cluster;

/// <summary>
/// Two servers on one PostgreSQL store serve the same API: a key made once works on both, both answer the same reads,
/// a call journaled on one is read on the other, and a key revoked on one is refused by the other within its key cache time.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_two_servers_share_a_postgres_store(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_key_made_once_works_on_both_and_both_answer_the_same_queries()
    {
        var store = await ApiStores.CreateAsync(ApiStores.Postgres, postgres);
        await using var first = await ApiServer.StartAsync(rabbit.Server, store, output);
        await using var second = await ApiServer.StartAsync(rabbit.Server, store, output, keys: false);

        var admin = second.NewClient(first.Keys["admin"]);
        Assert.Equal(await first.Admin.GetStringAsync("/api/keys"), await admin.GetStringAsync("/api/keys"));

        var created = await first.Admin.PostAsJsonAsync("/api/keys", new { name = "shared", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
        var onSecond = second.NewClient(key);
        Assert.Equal(HttpStatusCode.OK, (await onSecond.GetAsync("/api/workflows")).StatusCode);

        var audit = await admin.GetStringAsync("/api/audit");
        Assert.Equal(await first.Admin.GetStringAsync("/api/audit"), audit);
        Assert.Contains("\"action\":\"POST /api/keys\"", audit, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await first.Admin.DeleteAsync("/api/keys/shared")).StatusCode);
        await Eventually.Until(async () => (await onSecond.GetAsync("/api/workflows")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(15), "the second server refusing the key revoked on the first (key cache 5 s)");
        Assert.Equal(await first.Admin.GetStringAsync("/api/keys"), await admin.GetStringAsync("/api/keys"));
    }
}
