using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.InMemory;
using VirtFlow.Engine.Storage.Sqlite;

namespace VirtFlow.Testing;

/// <summary>
/// The real store of an in-process engine test (the Engine tests' <c>TestHost</c>, the VM activities' <c>VmHost</c>): in memory, a
/// fresh SQLite file in a test folder, or an existing SQLite file (another engine's), optionally wrapped (a store that "dies",
/// or one that is observed), initialized. Disposing it closes the store and deletes its folder.
/// </summary>
public sealed class EngineTestStore : IAsyncDisposable
{
    private readonly string? _dir;

    private EngineTestStore(IWorkflowStore store, string? dir)
    {
        Store = store;
        _dir = dir;
    }

    public IWorkflowStore Store { get; }

    /// <param name="kind"><c>memory</c> or <c>sqlite</c> (ignored when <paramref name="sqlitePath"/> is given).</param>
    /// <param name="clock">The stores' clock (the engine's).</param>
    /// <param name="folder">The prefix of the test folder a fresh SQLite file goes into.</param>
    /// <param name="sqlitePath">An existing SQLite file to open.</param>
    /// <param name="wrap">Wraps the store before it is initialized.</param>
    public static async Task<EngineTestStore> OpenAsync(
        string kind, TimeProvider clock, string folder, string? sqlitePath = null, Func<IWorkflowStore, IWorkflowStore>? wrap = null)
    {
        var options = new StoreOptions { TimeProvider = clock };
        string? dir = null;
        IWorkflowStore store;
        if (sqlitePath is not null)
            store = new SqliteWorkflowStore(sqlitePath, options);
        else if (kind == "sqlite")
        {
            dir = TestDirs.Create(folder);
            store = new SqliteWorkflowStore(Path.Combine(dir, "virtflow.db"), options);
        }
        else
            store = new InMemoryWorkflowStore(options);
        if (wrap is not null) store = wrap(store);
        await store.InitializeAsync();
        return new EngineTestStore(store, dir);
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_dir is null) return;
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a file still open by a "dead" engine of the test: left for the OS's temp cleanup
        }
    }
}
