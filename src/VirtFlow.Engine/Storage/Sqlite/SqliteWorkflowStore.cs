using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

/// <summary>
/// <see cref="IWorkflowStore"/> on one SQLite file: WAL journal (readers never block the writer),
/// <c>synchronous</c> per <see cref="StoreOptions.SqliteSynchronous"/>, times as Unix milliseconds, JSON as text.
/// Writes are serialized in-process by a semaphore and across processes by <c>BEGIN IMMEDIATE</c>
/// (another process on the same file waits up to <see cref="StoreOptions.SqliteBusyTimeout"/>).
/// </summary>
public sealed partial class SqliteWorkflowStore : IWorkflowStore
{
    private readonly SqliteConnectionPool _pool;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly TimeProvider _time;

    /// <summary>A store on the file at <paramref name="path"/> (created by <see cref="InitializeAsync"/> when missing).</summary>
    public SqliteWorkflowStore(string path, StoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new StoreOptions();
        options.Validate();
        Path = path;
        _time = options.TimeProvider;
        _pool = new SqliteConnectionPool(path, options);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _pool.Dispose();
        _writeGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private long NowMs => StoreTime.ToUnixMs(_time.GetUtcNow());

    private long MsOrNow(DateTimeOffset value) => value == default ? NowMs : StoreTime.ToUnixMs(value);

    /// <summary>Runs a read on a pooled connection (under WAL it sees the last committed state and never blocks).</summary>
    private T Read<T>(Func<SqliteConnection, T> read)
    {
        var connection = _pool.Rent();
        try
        {
            return read(connection);
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction, one writer at a time in this
    /// process. An exception rolls everything back and is rethrown.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var connection = _pool.Rent();
            var reusable = true;
            try
            {
                SqliteCommands.Execute(connection, "BEGIN IMMEDIATE");
                try
                {
                    var result = write(connection);
                    SqliteCommands.Execute(connection, "COMMIT");
                    return result;
                }
                catch
                {
                    reusable = TryRollback(connection);
                    throw;
                }
            }
            finally
            {
                if (reusable) _pool.Return(connection);
                else connection.Dispose();
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private static bool TryRollback(SqliteConnection connection)
    {
        try
        {
            SqliteCommands.Execute(connection, "ROLLBACK");
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }
}
