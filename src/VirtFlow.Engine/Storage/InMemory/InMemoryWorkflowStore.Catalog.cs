using VirtFlow.Engine.Storage.Catalog;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IWorkflowCatalogStore
{
    private readonly SortedDictionary<string, CatalogEntry> _catalog = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IReadOnlyList<CatalogWorkflow>> ListCatalogAsync(CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult<IReadOnlyList<CatalogWorkflow>>(_catalog.Values.Select(e => e.ToWorkflow()).ToList());
    }

    /// <inheritdoc />
    public Task<CatalogWorkflow?> GetCatalogWorkflowAsync(string name, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_catalog.GetValueOrDefault(name)?.ToWorkflow());
    }

    /// <inheritdoc />
    public Task<CatalogVersion?> GetCatalogVersionAsync(string name, int? version = null, CancellationToken ct = default)
    {
        lock (_gate)
        {
            if (!_catalog.TryGetValue(name, out var entry) || entry.Versions.Count == 0) return Task.FromResult<CatalogVersion?>(null);
            var found = version is { } v ? entry.Versions.FirstOrDefault(x => x.Version == v) : entry.Versions[^1];
            return Task.FromResult(found);
        }
    }

    /// <inheritdoc />
    public Task<CatalogDraft?> GetCatalogDraftAsync(string name, CancellationToken ct = default)
    {
        lock (_gate)
            return Task.FromResult(_catalog.GetValueOrDefault(name)?.Draft);
    }

    /// <inheritdoc />
    public Task<CatalogDraft> SaveCatalogDraftAsync(CatalogDraftSave save, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(save);
        var now = Now;
        lock (_gate)
        {
            _catalog.TryGetValue(save.Name, out var entry);
            if (save.ExpectedETag is null ? entry is not null : entry is null || entry.ETag != save.ExpectedETag)
                throw CatalogConflictException.Stale(save.Name, save.ExpectedETag, entry?.Head);
            entry ??= _catalog[save.Name] = new CatalogEntry(save.Name);
            entry.Draft = new CatalogDraft
            {
                Name = save.Name, Yaml = save.Yaml, ETag = CatalogETags.NewDraft(), SavedBy = save.SavedBy, SavedAt = now,
                BaseVersion = entry.PublishedVersion,
            };
            return Task.FromResult(entry.Draft);
        }
    }

    /// <inheritdoc />
    public Task<CatalogVersion> PublishCatalogDraftAsync(string name, string draftETag, string definitionHash, string publishedBy, CancellationToken ct = default)
    {
        var now = Now;
        lock (_gate)
        {
            _catalog.TryGetValue(name, out var entry);
            if (entry?.Draft is not { } draft || draft.ETag != draftETag)
                throw CatalogConflictException.NoDraft(name, draftETag, entry?.Head);
            var version = entry.Add(draft.Yaml, definitionHash, publishedBy, null, now);
            entry.Draft = null;
            return Task.FromResult(version);
        }
    }

    /// <inheritdoc />
    public Task<CatalogImport> ImportCatalogVersionAsync(string name, string yaml, string definitionHash, string source, string importedBy, CancellationToken ct = default)
    {
        var now = Now;
        lock (_gate)
        {
            if (!_catalog.TryGetValue(name, out var entry)) entry = _catalog[name] = new CatalogEntry(name);
            if (entry.Versions.LastOrDefault(v => v.Source is not null) is { } imported && imported.Yaml == yaml)
                return Task.FromResult(new CatalogImport(imported, false));
            return Task.FromResult(new CatalogImport(entry.Add(yaml, definitionHash, importedBy, source, now), true));
        }
    }

    private sealed class CatalogEntry(string name)
    {
        public List<CatalogVersion> Versions { get; } = [];

        public CatalogDraft? Draft { get; set; }

        public int PublishedVersion => Versions.Count == 0 ? 0 : Versions[^1].Version;

        public string ETag => Draft?.ETag ?? CatalogETags.OfVersion(PublishedVersion);

        public CatalogWorkflowHead Head => new(ETag, PublishedVersion);

        public CatalogVersion Add(string yaml, string hash, string by, string? source, DateTimeOffset now)
        {
            var version = new CatalogVersion
            {
                Name = name, Version = PublishedVersion + 1, Yaml = yaml, DefinitionHash = hash, PublishedBy = by, PublishedAt = now, Source = source,
            };
            Versions.Add(version);
            return version;
        }

        public CatalogWorkflow ToWorkflow() => new()
        {
            Name = name, PublishedVersion = PublishedVersion, ETag = ETag, Versions = Versions.Select(v => v.Info).ToList(), Draft = Draft?.Info,
        };
    }
}
