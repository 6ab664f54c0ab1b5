using Npgsql;
using VirtFlow.Engine.Storage.Catalog;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

/// <summary>
/// The workflow catalog on PostgreSQL, shared by several servers: every write is one transaction that first locks the
/// workflow's <c>workflow_catalog</c> row (<c>FOR UPDATE</c>; a new name is inserted first, <c>ON CONFLICT DO NOTHING</c>),
/// so concurrent publishes take turns and the second reads the first's version; <c>(name, version)</c> is the key of
/// <c>workflow_versions</c> besides.
/// </summary>
public sealed partial class PostgresWorkflowStore : IWorkflowCatalogStore
{
    private const string VersionColumns = "name, version, yaml, definition_hash, published_by, published_at, source";

    /// <inheritdoc />
    public async Task<IReadOnlyList<CatalogWorkflow>> ListCatalogAsync(CancellationToken ct = default) => await ReadWorkflowsAsync(null, ct);

    /// <inheritdoc />
    public async Task<CatalogWorkflow?> GetCatalogWorkflowAsync(string name, CancellationToken ct = default) =>
        (await ReadWorkflowsAsync(name, ct)).FirstOrDefault();

    /// <inheritdoc />
    public async Task<CatalogVersion?> GetCatalogVersionAsync(string name, int? version = null, CancellationToken ct = default)
    {
        var rows = version is { } v
            ? await QueryAsync($"SELECT {VersionColumns} FROM workflow_versions WHERE name = @name AND version = @version", MapVersion, ct,
                P.Text("name", name), P.Int("version", v))
            : await QueryAsync($"SELECT {VersionColumns} FROM workflow_versions WHERE name = @name ORDER BY version DESC LIMIT 1", MapVersion, ct,
                P.Text("name", name));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<CatalogDraft?> GetCatalogDraftAsync(string name, CancellationToken ct = default)
    {
        var rows = await QueryAsync(
            "SELECT draft_yaml, draft_etag, draft_saved_by, draft_saved_at, draft_base FROM workflow_catalog WHERE name = @name AND draft_etag IS NOT NULL",
            r => new CatalogDraft { Name = name, Yaml = r.GetString(0), ETag = r.GetString(1), SavedBy = r.GetString(2), SavedAt = r.GetTime(3), BaseVersion = r.GetInt32(4) },
            ct, P.Text("name", name));
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc />
    public async Task<CatalogDraft> SaveCatalogDraftAsync(CatalogDraftSave save, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(save);
        var now = Now;
        var etag = CatalogETags.NewDraft();
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (save.ExpectedETag is null)
        {
            var created = await ExecuteAsync(connection, tx, """
                INSERT INTO workflow_catalog (name, published, etag, draft_yaml, draft_etag, draft_saved_by, draft_saved_at, draft_base, created_at)
                VALUES (@name, 0, @etag, @yaml, @etag, @by, @at, 0, @at)
                ON CONFLICT (name) DO NOTHING
                """, ct, P.Text("name", save.Name), P.Text("etag", etag), P.Text("yaml", save.Yaml), P.Text("by", save.SavedBy), P.Time("at", now));
            if (created == 0) throw CatalogConflictException.Stale(save.Name, null, await LockHeadAsync(connection, tx, save.Name, ct));
            await tx.CommitAsync(ct);
            return new CatalogDraft { Name = save.Name, Yaml = save.Yaml, ETag = etag, SavedBy = save.SavedBy, SavedAt = now, BaseVersion = 0 };
        }
        var head = await LockHeadAsync(connection, tx, save.Name, ct);
        if (head is null || head.ETag != save.ExpectedETag) throw CatalogConflictException.Stale(save.Name, save.ExpectedETag, head);
        await ExecuteAsync(connection, tx, """
            UPDATE workflow_catalog SET etag = @etag, draft_yaml = @yaml, draft_etag = @etag, draft_saved_by = @by, draft_saved_at = @at,
                draft_base = published
            WHERE name = @name
            """, ct, P.Text("name", save.Name), P.Text("etag", etag), P.Text("yaml", save.Yaml), P.Text("by", save.SavedBy), P.Time("at", now));
        await tx.CommitAsync(ct);
        return new CatalogDraft { Name = save.Name, Yaml = save.Yaml, ETag = etag, SavedBy = save.SavedBy, SavedAt = now, BaseVersion = head.PublishedVersion };
    }

    /// <inheritdoc />
    public async Task<CatalogVersion> PublishCatalogDraftAsync(string name, string draftETag, string definitionHash, string publishedBy, CancellationToken ct = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var head = await LockHeadAsync(connection, tx, name, ct);
        string? yaml = null;
        if (head is not null)
        {
            await using var read = new NpgsqlCommand("SELECT draft_yaml FROM workflow_catalog WHERE name = @name AND draft_etag = @etag", connection, tx);
            read.Parameters.Add(P.Text("name", name));
            read.Parameters.Add(P.Text("etag", draftETag));
            yaml = await read.ExecuteScalarAsync(ct) as string;
        }
        if (yaml is null) throw CatalogConflictException.NoDraft(name, draftETag, head);
        var version = await AddVersionAsync(connection, tx, name, head!.PublishedVersion + 1, yaml, definitionHash, publishedBy, null, ct);
        await ExecuteAsync(connection, tx, """
            UPDATE workflow_catalog SET published = @version, etag = @etag, draft_yaml = NULL, draft_etag = NULL, draft_saved_by = NULL,
                draft_saved_at = NULL, draft_base = NULL
            WHERE name = @name
            """, ct, P.Text("name", name), P.Int("version", version.Version), P.Text("etag", version.ETag));
        await tx.CommitAsync(ct);
        return version;
    }

    /// <inheritdoc />
    public async Task<CatalogImport> ImportCatalogVersionAsync(string name, string yaml, string definitionHash, string source, string importedBy, CancellationToken ct = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, tx, "INSERT INTO workflow_catalog (name, published, etag, created_at) VALUES (@name, 0, @etag, @at) ON CONFLICT (name) DO NOTHING",
            ct, P.Text("name", name), P.Text("etag", CatalogETags.OfVersion(0)), P.Time("at", Now));
        var head = (await LockHeadAsync(connection, tx, name, ct))!;
        CatalogVersion? imported = null;
        await using (var read = new NpgsqlCommand(
            $"SELECT {VersionColumns} FROM workflow_versions WHERE name = @name AND source IS NOT NULL ORDER BY version DESC LIMIT 1", connection, tx))
        {
            read.Parameters.Add(P.Text("name", name));
            await using var r = await read.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) imported = MapVersion(r);
        }
        if (imported is not null && imported.Yaml == yaml)
        {
            await tx.CommitAsync(ct);
            return new CatalogImport(imported, false);
        }
        var version = await AddVersionAsync(connection, tx, name, head.PublishedVersion + 1, yaml, definitionHash, importedBy, source, ct);
        await ExecuteAsync(connection, tx, """
            UPDATE workflow_catalog SET published = @version, etag = CASE WHEN draft_etag IS NULL THEN @etag ELSE etag END WHERE name = @name
            """, ct, P.Text("name", name), P.Int("version", version.Version), P.Text("etag", version.ETag));
        await tx.CommitAsync(ct);
        return new CatalogImport(version, true);
    }

    private async Task<CatalogVersion> AddVersionAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, int version, string yaml, string hash,
        string by, string? source, CancellationToken ct)
    {
        var now = Now;
        await ExecuteAsync(connection, tx, $"INSERT INTO workflow_versions ({VersionColumns}) VALUES (@name, @version, @yaml, @hash, @by, @at, @source)", ct,
            P.Text("name", name), P.Int("version", version), P.Text("yaml", yaml), P.Text("hash", hash), P.Text("by", by), P.Time("at", now), P.Text("source", source));
        return new CatalogVersion { Name = name, Version = version, Yaml = yaml, DefinitionHash = hash, PublishedBy = by, PublishedAt = now, Source = source };
    }

    /// <summary>Locks the workflow's row for the rest of the transaction and reads its ETag and published version; null when there is no row.</summary>
    private static async Task<CatalogWorkflowHead?> LockHeadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string name, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT etag, published FROM workflow_catalog WHERE name = @name FOR UPDATE", connection, tx);
        command.Parameters.Add(P.Text("name", name));
        await using var r = await command.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new CatalogWorkflowHead(r.GetString(0), r.GetInt32(1)) : null;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken ct, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteNonQueryAsync(ct);
    }

    private static CatalogVersion MapVersion(NpgsqlDataReader r) => new()
    {
        Name = r.GetString(0), Version = r.GetInt32(1), Yaml = r.GetString(2), DefinitionHash = r.GetString(3), PublishedBy = r.GetString(4),
        PublishedAt = r.GetTime(5), Source = r.GetStringOrNull(6),
    };

    private async Task<List<CatalogWorkflow>> ReadWorkflowsAsync(string? name, CancellationToken ct)
    {
        var filter = name is null ? "" : " WHERE name = @name";
        var parameters = name is null ? Array.Empty<NpgsqlParameter>() : [P.Text("name", name)];
        var versions = (await QueryAsync($"SELECT name, version, definition_hash, published_by, published_at, source FROM workflow_versions{filter} ORDER BY name, version",
                r => (Name: r.GetString(0), Info: new CatalogVersionInfo
                {
                    Version = r.GetInt32(1), DefinitionHash = r.GetString(2), PublishedBy = r.GetString(3), PublishedAt = r.GetTime(4), Source = r.GetStringOrNull(5),
                }), ct, parameters))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<CatalogVersionInfo>)g.Select(x => x.Info).ToList(), StringComparer.Ordinal);
        parameters = name is null ? [] : [P.Text("name", name)];
        return await QueryAsync(
            $"SELECT name, published, etag, draft_etag, draft_saved_by, draft_saved_at, draft_base FROM workflow_catalog{filter} ORDER BY name",
            r => new CatalogWorkflow
            {
                Name = r.GetString(0), PublishedVersion = r.GetInt32(1), ETag = r.GetString(2),
                Versions = versions.GetValueOrDefault(r.GetString(0)) ?? [],
                Draft = r.IsDBNull(3) ? null : new CatalogDraftInfo { ETag = r.GetString(3), SavedBy = r.GetString(4), SavedAt = r.GetTime(5), BaseVersion = r.GetInt32(6) },
            }, ct, parameters);
    }
}
