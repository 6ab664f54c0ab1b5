using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

/// <summary>
/// A few open connections to one SQLite file, each configured once (busy timeout, synchronous, no automatic checkpoint: the store checkpoints
/// in the background, see SqliteWorkflowStore.Checkpoint.cs; a WAL left bigger than 64 MiB is truncated) when opened.
/// Microsoft.Data.Sqlite's own pool is off so that disposing the store really closes the file.
/// </summary>
internal sealed class SqliteConnectionPool : IDisposable
{
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly string _connectionString;
    private readonly string _setup;
    private readonly int _max;
    private int _idleCount;
    private volatile bool _disposed;

    public SqliteConnectionPool(string path, StoreOptions options)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.SqliteBusyTimeout.TotalSeconds)),
        }.ToString();
        var synchronous = options.SqliteSynchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _setup = $"PRAGMA busy_timeout = {(long)options.SqliteBusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864;";
        _max = options.SqliteMaxPooledConnections;
    }

    /// <summary>An idle connection, or a newly opened and configured one.</summary>
    public SqliteConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var idle))
        {
            Interlocked.Decrement(ref _idleCount);
            return idle;
        }
        return Open();
    }

    /// <summary>A newly opened and configured connection, not counted by the pool (the caller disposes it).</summary>
    public SqliteConnection Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = _setup;
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Keeps <paramref name="connection"/> for reuse, or closes it when the pool is full or disposed.</summary>
    public void Return(SqliteConnection connection)
    {
        if (_disposed)
        {
            connection.Dispose();
            return;
        }
        if (Interlocked.Increment(ref _idleCount) > _max)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Dispose();
            return;
        }
        _idle.Add(connection);
        if (_disposed) DrainIdle();
    }

    public void Dispose()
    {
        _disposed = true;
        DrainIdle();
    }

    private void DrainIdle()
    {
        while (_idle.TryTake(out var c)) c.Dispose();
    }
}
