namespace VirtFlow.Engine.Storage.Catalog;

/// <summary>
/// The workflow catalog: per workflow name, its published versions (1, 2, ...: the YAML exactly as written and its
/// definition hash, never changed once published), at most one draft (YAML, saved over and over, each save with a new
/// ETag), and who saved and published them when. Every store implements it; it is safe across several servers on one
/// store: two publishes at once never get the same version number, and a draft save with a stale ETag fails.
/// </summary>
/// <remarks>
/// The ETag of a workflow (<see cref="CatalogWorkflow.ETag"/>) is its draft's when it has one, else its published
/// version's (<c>v{n}</c>): every draft save, publish and import that changes what a reader sees changes it. Times are
/// UTC to the millisecond, as everywhere in the stores.
/// </remarks>
public interface IWorkflowCatalogStore
{
    /// <summary>Every workflow of the catalog (versions without their YAML), by name (ordinal).</summary>
    Task<IReadOnlyList<CatalogWorkflow>> ListCatalogAsync(CancellationToken ct = default);

    /// <summary>One workflow (versions without their YAML), or null when the catalog has no such name.</summary>
    Task<CatalogWorkflow?> GetCatalogWorkflowAsync(string name, CancellationToken ct = default);

    /// <summary>Version <paramref name="version"/> of the workflow, or its published (highest) one when null; null when there is none.</summary>
    Task<CatalogVersion?> GetCatalogVersionAsync(string name, int? version = null, CancellationToken ct = default);

    /// <summary>The workflow's draft, or null.</summary>
    Task<CatalogDraft?> GetCatalogDraftAsync(string name, CancellationToken ct = default);

    /// <summary>
    /// Saves the draft when the workflow's current ETag is <see cref="CatalogDraftSave.ExpectedETag"/> (null: only when
    /// the name is not in the catalog yet, which creates it). Never changes a published version.
    /// </summary>
    /// <exception cref="CatalogConflictException">The ETag is stale (or the name exists when creating).</exception>
    Task<CatalogDraft> SaveCatalogDraftAsync(CatalogDraftSave save, CancellationToken ct = default);

    /// <summary>
    /// Makes the draft whose ETag is <paramref name="draftETag"/> the next version (highest + 1) and removes the draft.
    /// <paramref name="definitionHash"/> is the hash of the draft's parsed definition (the caller validated it).
    /// </summary>
    /// <exception cref="CatalogConflictException">There is no draft, or it changed since it was read.</exception>
    Task<CatalogVersion> PublishCatalogDraftAsync(string name, string draftETag, string definitionHash, string publishedBy, CancellationToken ct = default);

    /// <summary>
    /// Publishes <paramref name="yaml"/> as the next version unless it is exactly the text of the latest version imported
    /// before (one with a <see cref="CatalogVersionInfo.Source"/>): then nothing is added and that version is returned.
    /// A draft is left as it is.
    /// </summary>
    Task<CatalogImport> ImportCatalogVersionAsync(string name, string yaml, string definitionHash, string source, string importedBy, CancellationToken ct = default);
}
