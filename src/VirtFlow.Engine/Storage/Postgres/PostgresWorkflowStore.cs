using Npgsql;

namespace VirtFlow.Engine.Storage.Postgres;

/// <summary>
/// <see cref="IWorkflowStore"/> on PostgreSQL, shared by several engines: optimistic concurrency on
/// <c>instances.version</c> (READ COMMITTED is enough: the conditional UPDATE re-checks the row after a
/// concurrent commit), <c>ON CONFLICT DO NOTHING</c> for inbox de-dup and replayed outbox ids, jsonb for JSON,
/// timestamptz for times. Each commit is one transaction sent as one batch.
/// </summary>
public sealed partial class PostgresWorkflowStore : IWorkflowStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly TimeProvider _time;

    /// <summary>A store on the database named by an Npgsql connection string (keywords or a <c>postgresql://</c> URI).</summary>
    public PostgresWorkflowStore(string connectionString, StoreOptions? options = null)
        : this(NpgsqlDataSource.Create(PostgresConnectionString.Normalize(connectionString)), ownsDataSource: true, options)
    {
    }

    /// <summary>A store on an existing data source (not disposed with the store).</summary>
    public PostgresWorkflowStore(NpgsqlDataSource dataSource, StoreOptions? options = null)
        : this(dataSource, ownsDataSource: false, options)
    {
    }

    private PostgresWorkflowStore(NpgsqlDataSource dataSource, bool ownsDataSource, StoreOptions? options)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        options ??= new StoreOptions();
        options.Validate();
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _time = options.TimeProvider;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_ownsDataSource) await _dataSource.DisposeAsync();
    }

    private DateTimeOffset Now => StoreTime.Normalize(_time.GetUtcNow());

    private DateTimeOffset OrNow(DateTimeOffset value) => StoreTime.OrNow(value, _time);

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(map(reader));
        return list;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }
}
