namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <summary>
    /// Applies the missing migrations in one transaction holding <c>pg_advisory_xact_lock</c>, so engines that
    /// start together apply each migration exactly once (the others wait, then find nothing to do). Idempotent.
    /// </summary>
    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, tx))
        {
            lockCommand.Parameters.Add(PostgresParameters.Long("key", PostgresMigrations.LockKey));
            await lockCommand.ExecuteNonQueryAsync(ct);
        }
        await using (var create = new Npgsql.NpgsqlCommand(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL)", connection, tx))
            await create.ExecuteNonQueryAsync(ct);

        int current;
        await using (var read = new Npgsql.NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_version", connection, tx))
            current = Convert.ToInt32(await read.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        if (current > PostgresMigrations.Latest)
            throw new InvalidOperationException(
                $"PostgreSQL store {connection.Database} has schema version {current}, newer than this engine knows ({PostgresMigrations.Latest}): upgrade the engine");

        foreach (var (version, sql) in PostgresMigrations.All)
        {
            if (version <= current) continue;
            await using (var migrate = new Npgsql.NpgsqlCommand(sql, connection, tx))
                await migrate.ExecuteNonQueryAsync(ct);
            await using var record = new Npgsql.NpgsqlCommand("INSERT INTO schema_version (version, applied_at) VALUES (@v, @at)", connection, tx);
            record.Parameters.Add(PostgresParameters.Int("v", version));
            record.Parameters.Add(PostgresParameters.Time("at", Now));
            await record.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
