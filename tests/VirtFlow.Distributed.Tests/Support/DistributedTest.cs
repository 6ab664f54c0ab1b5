using VirtFlow.Testing;
using Xunit.Abstractions;

namespace VirtFlow.Distributed.Tests.Support;

/// <summary>
/// The base of every scenario: runs on the collection's broker and database server, once per store kind
/// (<see cref="Stores"/>: theory data), each run on a fresh store.
/// </summary>
[Collection(DistributedCollection.Name)]
public abstract class DistributedTest(ServersFixture servers, ITestOutputHelper output)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>Every scenario runs on both stores.</summary>
    public static TheoryData<string> Stores => new() { Sqlite, Postgres };

    protected ServersFixture Servers => servers;

    protected ITestOutputHelper Output => output;

    /// <summary>A deployment on a fresh store of kind <paramref name="store"/>.</summary>
    protected async Task<Cluster> ClusterAsync(string store)
    {
        var testStore = store switch
        {
            Sqlite => TestStore.Sqlite(),
            Postgres => await TestStore.PostgresAsync(servers.Postgres, "dist"),
            _ => throw new ArgumentOutOfRangeException(nameof(store), store, "sqlite or postgres"),
        };
        return await Cluster.CreateAsync(servers, testStore, output);
    }
}
