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
    private readonly GroupCommitQueue _commits;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private volatile bool _disposed;

    /// <summary>A store on the file at <paramref name="path"/> (created by <see cref="InitializeAsync"/> when missing).</summary>
    public SqliteWorkflowStore(string path, StoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new StoreOptions();
        options.Validate();
        Path = path;
        _time = options.TimeProvider;
        _pool = new SqliteConnectionPool(path, options);
        _commits = new GroupCommitQueue(this, MaxCommitsPerBatch);
    }

    /// <summary>At most this many instance commits are written in one transaction.</summary>
    private const int MaxCommitsPerBatch = 64;

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        if (_writeGate.Wait(0))
        {
            // Not writing: the writer connection can close now (else the writer closes it when done).
            DropWriter();
            _writeGate.Release();
        }
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
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction on the writer connection, one
    /// writer at a time in this process. An exception rolls everything back and is rethrown.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct);
        try
        {
            var connection = Writer();
            try
            {
                SqliteCommands.Execute(connection, "BEGIN IMMEDIATE");
            }
            catch
            {
                DropWriterIfBroken(connection);
                throw;
            }
            try
            {
                var result = write(connection);
                SqliteCommands.Execute(connection, "COMMIT");
                Committed();
                return result;
            }
            catch
            {
                if (!TryRollback(connection)) DropWriter();
                throw;
            }
        }
        finally
        {
            if (_disposed) DropWriter();
            _writeGate.Release();
        }
    }

    /// <summary>The one connection this store writes on (opened on first use; only under <see cref="_writeGate"/>).</summary>
    private SqliteConnection Writer()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer ??= _pool.Open();
    }

    /// <summary>A prepared command of the writer connection, kept for reuse (only under <see cref="_writeGate"/>).</summary>
    private SqliteCommand WriterCommand(SqliteConnection connection, string sql)
    {
        if (!_writerCommands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _writerCommands[sql] = command;
        }
        return command;
    }

    /// <summary>After a failed <c>BEGIN</c> (busy, or the file went away): a closed connection is replaced.</summary>
    private void DropWriterIfBroken(SqliteConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open) DropWriter();
    }

    private void DropWriter()
    {
        foreach (var command in _writerCommands.Values) command.Dispose();
        _writerCommands.Clear();
        _writer?.Dispose();
        _writer = null;
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
