using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    /// <inheritdoc />
    public Task SaveDefinitionAsync(StoredDefinition definition, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return ExecuteAsync("""
            INSERT INTO definitions (hash, name, version, canonical_json, created_at)
            VALUES (@hash, @name, @version, @json, @created_at)
            ON CONFLICT (hash) DO NOTHING
            """, ct,
            P.Text("hash", definition.Hash), P.Text("name", definition.Name), P.Int("version", definition.Version),
            P.Text("json", definition.CanonicalJson), P.Time("created_at", OrNow(definition.CreatedAt)));
    }

    /// <inheritdoc />
    public async Task<StoredDefinition?> GetDefinitionAsync(string hash, CancellationToken ct = default)
    {
        var rows = await QueryAsync("SELECT hash, name, version, canonical_json, created_at FROM definitions WHERE hash = @hash",
            r => new StoredDefinition(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetString(3), r.GetTime(4)),
            ct, P.Text("hash", hash));
        return rows.Count == 0 ? null : rows[0];
    }
}
