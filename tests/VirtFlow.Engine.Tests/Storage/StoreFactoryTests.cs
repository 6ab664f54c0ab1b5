using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;
using VirtFlow.Engine.Storage.Postgres;
using VirtFlow.Engine.Storage.Sqlite;
using VirtFlow.Testing;

namespace VirtFlow.Engine.Tests.Storage;

public sealed class StoreFactoryTests
{
    [Fact]
    public async Task A_sqlite_spec_opens_a_sqlite_store_on_that_file()
    {
        var dir = TestDirs.Create("factory");
        try
        {
            var path = Path.Combine(dir, "sub", "virtflow.db");
            await using var store = await StoreFactory.OpenAsync("sqlite:" + path);

            Assert.Equal(path, Assert.IsType<SqliteWorkflowStore>(store).Path);
            Assert.True(File.Exists(path));
        }
        finally
        {
            ServerCommands.TryDelete(dir);
        }
    }

    [Theory]
    [InlineData("memory:")]
    [InlineData(" MEMORY: ")]
    public async Task A_memory_spec_opens_an_in_memory_store(string spec)
    {
        await using var store = StoreFactory.Open(spec);
        Assert.IsType<InMemoryWorkflowStore>(store);
    }

    [Theory]
    [InlineData("postgres:Host=127.0.0.1;Port=1;Username=x;Database=y")]
    [InlineData("postgresql://x:secret@127.0.0.1:1/y?sslmode=disable&application_name=virtflow")]
    [InlineData("postgres://x@[::1]:1/y")]
    public async Task A_postgres_spec_or_uri_opens_a_postgres_store_without_connecting(string spec)
    {
        await using var store = StoreFactory.Open(spec);
        Assert.IsType<PostgresWorkflowStore>(store);
    }

    [Theory]
    [InlineData("mysql:Server=db;Password=hunter2")]
    [InlineData("/var/lib/virtflow.db")]
    [InlineData("")]
    [InlineData("sqlite:")]
    [InlineData("postgres:")]
    public void An_unknown_or_empty_spec_is_refused_naming_it_and_the_accepted_forms(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => StoreFactory.Open(spec));

        Assert.Contains("sqlite:", e.Message);
        if (spec.StartsWith("mysql", StringComparison.Ordinal))
        {
            Assert.Contains("mysql:Server=db", e.Message);
            Assert.Contains("postgresql://", e.Message);
            Assert.Contains("memory:", e.Message);
            Assert.DoesNotContain("hunter2", e.Message);
        }
    }

    [Fact]
    public void A_postgres_uri_becomes_an_npgsql_connection_string()
    {
        var cs = PostgresConnectionString.Normalize("postgresql://vf%40user:p%3Ass@db.example:6543/virt%20flow?sslmode=require");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.Equal("vf@user", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("virt flow", builder.Database);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.True(builder.NoResetOnClose);
        Assert.Equal(32, builder.MaxAutoPrepare);
    }

    [Fact]
    public void A_setting_the_caller_gave_is_kept()
    {
        var cs = PostgresConnectionString.Normalize("Host=db;No Reset On Close=false;Maximum Pool Size=7;Max Auto Prepare=0");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        Assert.False(builder.NoResetOnClose);
        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.Equal(7, builder.MaxPoolSize);
    }
}
