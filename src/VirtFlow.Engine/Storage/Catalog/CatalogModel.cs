namespace VirtFlow.Engine.Storage.Catalog;

/// <summary>A workflow of the catalog: its versions, which one is published, its draft, and its current ETag.</summary>
public sealed record CatalogWorkflow
{
    public required string Name { get; init; }

    /// <summary>The highest version, the one started by name; 0 while only a draft exists.</summary>
    public int PublishedVersion { get; init; }

    /// <summary>The draft's ETag when there is a draft, else the published version's.</summary>
    public required string ETag { get; init; }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<CatalogVersionInfo> Versions { get; init; } = [];

    /// <summary>The draft, without its YAML, or null.</summary>
    public CatalogDraftInfo? Draft { get; init; }
}

/// <summary>A published version without its YAML.</summary>
public sealed record CatalogVersionInfo
{
    public required int Version { get; init; }
    public required string DefinitionHash { get; init; }
    public required string PublishedBy { get; init; }
    public DateTimeOffset PublishedAt { get; init; }

    /// <summary>The file it was imported from (<c>--workflows</c>), or null when it was published from a draft.</summary>
    public string? Source { get; init; }
}

/// <summary>A published version: the YAML exactly as written.</summary>
public sealed record CatalogVersion
{
    public required string Name { get; init; }
    public required int Version { get; init; }
    public required string Yaml { get; init; }
    public required string DefinitionHash { get; init; }
    public required string PublishedBy { get; init; }
    public DateTimeOffset PublishedAt { get; init; }
    public string? Source { get; init; }

    /// <summary>The ETag a reader gets while this version is the current state of its workflow (no draft).</summary>
    public string ETag => CatalogETags.OfVersion(Version);

    public CatalogVersionInfo Info => new()
    {
        Version = Version, DefinitionHash = DefinitionHash, PublishedBy = PublishedBy, PublishedAt = PublishedAt, Source = Source,
    };
}

/// <summary>A draft without its YAML.</summary>
public sealed record CatalogDraftInfo
{
    public required string ETag { get; init; }
    public required string SavedBy { get; init; }
    public DateTimeOffset SavedAt { get; init; }

    /// <summary>The published version when it was saved (0: none).</summary>
    public int BaseVersion { get; init; }
}

/// <summary>A workflow's draft: its YAML, as saved (it may hold errors).</summary>
public sealed record CatalogDraft
{
    public required string Name { get; init; }
    public required string Yaml { get; init; }
    public required string ETag { get; init; }
    public required string SavedBy { get; init; }
    public DateTimeOffset SavedAt { get; init; }
    public int BaseVersion { get; init; }

    public CatalogDraftInfo Info => new() { ETag = ETag, SavedBy = SavedBy, SavedAt = SavedAt, BaseVersion = BaseVersion };
}

/// <summary>A draft to save.</summary>
public sealed record CatalogDraftSave
{
    public required string Name { get; init; }
    public required string Yaml { get; init; }
    public required string SavedBy { get; init; }

    /// <summary>The ETag read last (<see cref="CatalogWorkflow.ETag"/>); null to create a workflow not in the catalog yet.</summary>
    public string? ExpectedETag { get; init; }
}

/// <summary>What an import did: the version that now holds the text, and whether the import added it.</summary>
public sealed record CatalogImport(CatalogVersion Version, bool Added);

/// <summary>The ETags of the catalog.</summary>
public static class CatalogETags
{
    /// <summary>The ETag of a published version when no draft exists.</summary>
    public static string OfVersion(int version) => $"v{version}";

    /// <summary>A new draft ETag (random: every save gets another).</summary>
    public static string NewDraft() => "d" + Guid.NewGuid().ToString("N");
}
