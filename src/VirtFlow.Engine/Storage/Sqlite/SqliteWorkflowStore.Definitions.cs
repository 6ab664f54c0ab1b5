namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    /// <inheritdoc />
    public Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(connection => SqliteCommands.Execute(connection, """
            INSERT INTO definitions (hash, name, version, canonical_json, created_at)
            VALUES ($hash, $name, $version, $json, $created_at)
            ON CONFLICT (hash) DO NOTHING
            """,
            ("$hash", definition.Hash), ("$name", definition.Name), ("$version", definition.Version),
            ("$json", definition.CanonicalJson), ("$created_at", MsOrNow(definition.CreatedAt))), ct);
    }

    /// <inheritdoc />
    public Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection,
                "SELECT hash, name, version, canonical_json, created_at FROM definitions WHERE hash = $hash", ("$hash", hash));
            using var r = command.ExecuteReader();
            return r.Read()
                ? new StoredDefinition(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetTime(4))
                : null;
        }));
}
