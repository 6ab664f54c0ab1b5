using VirtFlow.Hosting.Tests.Support;
using VirtFlow.Testing;

namespace VirtFlow.Api.Tests.Support;

/// <summary>A fresh store of a kind, for <c>[Theory]</c> tests run on both: <c>"sqlite"</c> or <c>"postgres"</c>.</summary>
public static class ApiStores
{
    public const string Sqlite = "sqlite", Postgres = "postgres";

    /// <summary>A new, empty store of <paramref name="kind"/> (a PostgreSQL database of its own).</summary>
    public static async Task<TestStore> CreateAsync(string kind, PostgresFixture postgres) => kind switch
    {
        Sqlite => TestStore.Sqlite(),
        Postgres => await TestStore.PostgresAsync(postgres.Server, "api"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "sqlite or postgres"),
    };
}
