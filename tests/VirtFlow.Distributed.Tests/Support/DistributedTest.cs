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

    /// <summary>
    /// A cluster with its server and one VM served by one worker (<see cref="OneVmCluster"/>); the VM's disks hold
    /// <paramref name="prefillBytes"/> of data each. The server, the VM and the worker start side by side.
    /// </summary>
    protected async Task<OneVmCluster> OneVmClusterAsync(string store, long prefillBytes)
    {
        var cluster = await ClusterAsync(store);
        try
        {
            var serverStarting = cluster.StartServerAsync();
            var vm = await QemuVm.StartAsync(new QemuVmOptions { Disks = 2, DiskSize = 32L << 20, PrefillBytes = prefillBytes, StartRunning = true });
            try
            {
                var host = cluster.Host("hv");
                var workerStarting = cluster.StartWorkerAsync(host, TestVm.Of("vm1", vm));
                var server = await serverStarting;
                var worker = await workerStarting;
                return new OneVmCluster(cluster, vm, host, DiskMove.For(vm, "moved", "vda", "vdb"), server, worker);
            }
            catch
            {
                await vm.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }
}
