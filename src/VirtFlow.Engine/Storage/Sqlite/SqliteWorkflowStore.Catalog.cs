using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Storage.Catalog;

namespace VirtFlow.Engine.Storage.Sqlite;

/// <summary>The workflow catalog on SQLite: every write is one <c>BEGIN IMMEDIATE</c> transaction, so writers on one file are serialized.</summary>
public sealed partial class SqliteWorkflowStore : IWorkflowCatalogStore
{
    private const string VersionColumns = "name, version, yaml, definition_hash, published_by, published_at, source";

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogWorkflow>> ListCatalogAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<CatalogWorkflow>>(Read(connection => ReadWorkflows(connection, null)));

    /// <inheritdoc />
    public Task<CatalogWorkflow?> GetCatalogWorkflowAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Read(connection => ReadWorkflows(connection, name).FirstOrDefault()));

    /// <inheritdoc />
    public Task<CatalogVersion?> GetCatalogVersionAsync(string name, int? version = null, CancellationToken ct = default) =>
        Task.FromResult(Read(connection => ReadVersion(connection, name, version)));

    /// <inheritdoc />
    public Task<CatalogDraft?> GetCatalogDraftAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection,
                "SELECT draft_yaml, draft_etag, draft_saved_by, draft_saved_at, draft_base FROM workflow_catalog WHERE name = $name AND draft_etag IS NOT NULL",
                ("$name", name));
            using var r = command.ExecuteReader();
            return r.Read()
                ? new CatalogDraft { Name = name, Yaml = r.GetString(0), ETag = r.GetString(1), SavedBy = r.GetString(2), SavedAt = r.GetTime(3), BaseVersion = r.GetInt32(4) }
                : null;
        }));

    /// <inheritdoc />
    public Task<CatalogDraft> SaveCatalogDraftAsync(CatalogDraftSave save, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(save);
        return WriteAsync(connection =>
        {
            var head = ReadHead(connection, save.Name);
            if (save.ExpectedETag is null ? head is not null : head is null || head.ETag != save.ExpectedETag)
                throw CatalogConflictException.Stale(save.Name, save.ExpectedETag, head);
            var now = NowMs;
            var etag = CatalogETags.NewDraft();
            var published = head?.PublishedVersion ?? 0;
            SqliteCommands.Execute(connection, """
                INSERT INTO workflow_catalog (name, published, etag, draft_yaml, draft_etag, draft_saved_by, draft_saved_at, draft_base, created_at)
                VALUES ($name, $published, $etag, $yaml, $etag, $by, $at, $published, $at)
                ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, draft_yaml = excluded.draft_yaml, draft_etag = excluded.draft_etag,
                    draft_saved_by = excluded.draft_saved_by, draft_saved_at = excluded.draft_saved_at, draft_base = excluded.draft_base
                """, ("$name", save.Name), ("$published", published), ("$etag", etag), ("$yaml", save.Yaml), ("$by", save.SavedBy), ("$at", now));
            return new CatalogDraft
            {
                Name = save.Name, Yaml = save.Yaml, ETag = etag, SavedBy = save.SavedBy, SavedAt = StoreTime.FromUnixMs(now), BaseVersion = published,
            };
        }, ct);
    }

    /// <inheritdoc />
    public Task<CatalogVersion> PublishCatalogDraftAsync(string name, string draftETag, string definitionHash, string publishedBy, CancellationToken ct = default) =>
        WriteAsync(connection =>
        {
            string? yaml;
            using (var read = SqliteCommands.Create(connection,
                "SELECT draft_yaml FROM workflow_catalog WHERE name = $name AND draft_etag = $etag", ("$name", name), ("$etag", draftETag)))
                yaml = read.ExecuteScalar() as string;
            if (yaml is null) throw CatalogConflictException.NoDraft(name, draftETag, ReadHead(connection, name));
            return AddVersion(connection, name, yaml, definitionHash, publishedBy, null);
        }, ct);

    /// <inheritdoc />
    public Task<CatalogImport> ImportCatalogVersionAsync(string name, string yaml, string definitionHash, string source, string importedBy, CancellationToken ct = default) =>
        WriteAsync(connection =>
        {
            CatalogVersion? imported;
            using (var read = SqliteCommands.Create(connection,
                $"SELECT {VersionColumns} FROM workflow_versions WHERE name = $name AND source IS NOT NULL ORDER BY version DESC LIMIT 1", ("$name", name)))
            using (var r = read.ExecuteReader())
                imported = r.Read() ? MapVersion(r) : null;
            if (imported is not null && imported.Yaml == yaml) return new CatalogImport(imported, false);
            return new CatalogImport(AddVersion(connection, name, yaml, definitionHash, importedBy, source), true);
        }, ct);

    /// <summary>Adds the next version (in the write transaction) and clears the draft when it was published from it.</summary>
    private CatalogVersion AddVersion(SqliteConnection connection, string name, string yaml, string hash, string by, string? source)
    {
        var now = NowMs;
        var next = (ReadHead(connection, name)?.PublishedVersion ?? 0) + 1;
        SqliteCommands.Execute(connection, $"INSERT INTO workflow_versions ({VersionColumns}) VALUES ($name, $version, $yaml, $hash, $by, $at, $source)",
            ("$name", name), ("$version", next), ("$yaml", yaml), ("$hash", hash), ("$by", by), ("$at", now), ("$source", source));
        var etag = CatalogETags.OfVersion(next);
        SqliteCommands.Execute(connection, source is null
            ? """
              UPDATE workflow_catalog SET published = $version, etag = $etag, draft_yaml = NULL, draft_etag = NULL, draft_saved_by = NULL,
                  draft_saved_at = NULL, draft_base = NULL
              WHERE name = $name
              """
            : """
              INSERT INTO workflow_catalog (name, published, etag, created_at) VALUES ($name, $version, $etag, $at)
              ON CONFLICT (name) DO UPDATE SET published = excluded.published,
                  etag = CASE WHEN workflow_catalog.draft_etag IS NULL THEN excluded.etag ELSE workflow_catalog.etag END
              """, ("$name", name), ("$version", next), ("$etag", etag), ("$at", now));
        return new CatalogVersion
        {
            Name = name, Version = next, Yaml = yaml, DefinitionHash = hash, PublishedBy = by, PublishedAt = StoreTime.FromUnixMs(now), Source = source,
        };
    }

    private static CatalogWorkflowHead? ReadHead(SqliteConnection connection, string name)
    {
        using var command = SqliteCommands.Create(connection, "SELECT etag, published FROM workflow_catalog WHERE name = $name", ("$name", name));
        using var r = command.ExecuteReader();
        return r.Read() ? new CatalogWorkflowHead(r.GetString(0), r.GetInt32(1)) : null;
    }

    private static CatalogVersion? ReadVersion(SqliteConnection connection, string name, int? version)
    {
        using var command = version is { } v
            ? SqliteCommands.Create(connection, $"SELECT {VersionColumns} FROM workflow_versions WHERE name = $name AND version = $version", ("$name", name), ("$version", v))
            : SqliteCommands.Create(connection, $"SELECT {VersionColumns} FROM workflow_versions WHERE name = $name ORDER BY version DESC LIMIT 1", ("$name", name));
        using var r = command.ExecuteReader();
        return r.Read() ? MapVersion(r) : null;
    }

    private static CatalogVersion MapVersion(SqliteDataReader r) => new()
    {
        Name = r.GetString(0), Version = r.GetInt32(1), Yaml = r.GetString(2), DefinitionHash = r.GetString(3), PublishedBy = r.GetString(4),
        PublishedAt = r.GetTime(5), Source = r.GetStringOrNull(6),
    };

    /// <summary>The workflows (one, or all when <paramref name="name"/> is null) with their versions, without YAML.</summary>
    private static List<CatalogWorkflow> ReadWorkflows(SqliteConnection connection, string? name)
    {
        var filter = name is null ? "" : " WHERE name = $name";
        var versions = new Dictionary<string, List<CatalogVersionInfo>>(StringComparer.Ordinal);
        using (var command = SqliteCommands.Create(connection,
            $"SELECT name, version, definition_hash, published_by, published_at, source FROM workflow_versions{filter} ORDER BY name, version", ("$name", name)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                if (!versions.TryGetValue(r.GetString(0), out var list)) versions[r.GetString(0)] = list = [];
                list.Add(new CatalogVersionInfo
                {
                    Version = r.GetInt32(1), DefinitionHash = r.GetString(2), PublishedBy = r.GetString(3), PublishedAt = r.GetTime(4), Source = r.GetStringOrNull(5),
                });
            }
        }
        var workflows = new List<CatalogWorkflow>();
        using (var command = SqliteCommands.Create(connection,
            $"SELECT name, published, etag, draft_etag, draft_saved_by, draft_saved_at, draft_base FROM workflow_catalog{filter}", ("$name", name)))
        using (var r = command.ExecuteReader())
        {
            while (r.Read())
            {
                workflows.Add(new CatalogWorkflow
                {
                    Name = r.GetString(0), PublishedVersion = r.GetInt32(1), ETag = r.GetString(2),
                    Versions = versions.GetValueOrDefault(r.GetString(0)) ?? [],
                    Draft = r.IsDBNull(3) ? null : new CatalogDraftInfo { ETag = r.GetString(3), SavedBy = r.GetString(4), SavedAt = r.GetTime(5), BaseVersion = r.GetInt32(6) },
                });
            }
        }
        return workflows.OrderBy(w => w.Name, StringComparer.Ordinal).ToList();
    }
}
