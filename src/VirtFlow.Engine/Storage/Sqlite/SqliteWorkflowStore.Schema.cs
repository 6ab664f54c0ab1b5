using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <summary>
    /// Switches the file to WAL and applies the missing migrations in one <c>BEGIN IMMEDIATE</c> transaction,
    /// so two engines starting on the same file at once apply each migration exactly once. Idempotent.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);

        await _writeGate.WaitAsync(ct);
        try
        {
            var connection = _pool.Rent();
            try
            {
                // Persistent in the file; needs no transaction and waits (busy_timeout) for another process.
                using (var wal = SqliteCommands.Create(connection, "PRAGMA journal_mode = WAL"))
                {
                    var mode = wal.ExecuteScalar() as string;
                    if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                        throw new InvalidOperationException($"SQLite store {Path}: could not switch to WAL (journal_mode is {mode})");
                }
            }
            finally
            {
                _pool.Return(connection);
            }
        }
        finally
        {
            _writeGate.Release();
        }

        await WriteAsync(Migrate, ct);
    }

    private int Migrate(SqliteConnection connection)
    {
        SqliteCommands.Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)");
        using var read = SqliteCommands.Create(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > SqliteMigrations.Latest)
            throw new InvalidOperationException(
                $"SQLite store {Path} has schema version {current}, newer than this engine knows ({SqliteMigrations.Latest}): upgrade the engine");
        foreach (var (version, sql) in SqliteMigrations.All)
        {
            if (version <= current) continue;
            SqliteCommands.Execute(connection, sql);
            SqliteCommands.Execute(connection, "INSERT INTO schema_version (version, applied_at) VALUES ($v, $at)", ("$v", version), ("$at", NowMs));
            current = version;
        }
        return current;
    }
}
