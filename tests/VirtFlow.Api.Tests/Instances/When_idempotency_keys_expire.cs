using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using VirtFlow.Api.Tests.Support;
using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;
using Xunit.Abstractions;
using static VirtFlow.Api.Tests.Instances.InstanceWorkflows;

namespace VirtFlow.Api.Tests.Instances;

/// <summary>
/// A server with a short idempotency key lifetime (<c>IdempotencyKeyLifetime</c> 15 s) and sweep
/// (<c>IdempotencySweepInterval</c> 1 s), on SQLite and PostgreSQL: a key's row is in the store while it holds, and is
/// deleted from the store once it expired (counted in the store's own table), without any further start.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class When_idempotency_keys_expire(RabbitMqFixture rabbit, PostgresFixture postgres, ITestOutputHelper output)
{
    [Theory]
    [InlineData(ApiStores.Sqlite)]
    [InlineData(ApiStores.Postgres)]
    public async Task The_server_deletes_them_from_the_store(string kind)
    {
        var store = await ApiStores.CreateAsync(kind, postgres);
        await using var api = await ApiServer.StartAsync(rabbit.Server, store, output, o =>
        {
            o.Http!.IdempotencyKeyLifetime = TimeSpan.FromSeconds(15);
            o.Http!.IdempotencySweepInterval = TimeSpan.FromSeconds(1);
        }, workflows: All);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(Start("web1")) };
        request.Headers.Add("Idempotency-Key", "expiring");
        var started = await api.Operator.SendAsync(request);
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"{(int)started.StatusCode}: {await started.Content.ReadAsStringAsync()}");
        var id = JsonNode.Parse(await started.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        // Swept every second, but kept while it holds.
        Assert.Equal([id], await KeysAsync(store.Spec));

        await Eventually.Until(async () => (await KeysAsync(store.Spec)).Count == 0, TimeSpan.FromSeconds(120),
            "the expired idempotency key deleted from the store by the server's sweep");
    }

    /// <summary>The instance ids of the idempotency keys in the store's table, read with the store's own client.</summary>
    private static async Task<List<string>> KeysAsync(string spec)
    {
        const string sql = "SELECT instance_id FROM idempotency_keys";
        var ids = new List<string>();
        if (spec.StartsWith("sqlite:", StringComparison.Ordinal))
        {
            await using var connection = new SqliteConnection($"Data Source={spec["sqlite:".Length..]}");
            await connection.OpenAsync();
            await using var command = new SqliteCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        }
        else
        {
            await using var connection = new NpgsqlConnection(spec[(spec.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        }
        return ids;
    }
}
