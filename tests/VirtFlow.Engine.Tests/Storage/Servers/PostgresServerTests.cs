using Npgsql;
using Xunit.Abstractions;

namespace VirtFlow.Engine.Tests.Storage.Servers;

[Collection(PostgresCollection.Name)]
public sealed class PostgresServerTests(PostgresFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Each_database_it_creates_is_empty_and_separate()
    {
        var a = await fixture.Server.CreateDatabaseAsync("server_a");
        var b = await fixture.Server.CreateDatabaseAsync("server_a");

        await using (var connection = new NpgsqlConnection(a))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE TABLE only_in_a (x int)", connection);
            await create.ExecuteNonQueryAsync();
        }
        await using (var connection = new NpgsqlConnection(b))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'", connection);
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }
        Assert.NotEqual(a, b);
        output.WriteLine($"PostgreSQL cluster start-up (data folder + pg_ctl start): {fixture.Server.StartupTime.TotalSeconds:F2} s; external: {fixture.Server.IsExternal}");
    }
}
