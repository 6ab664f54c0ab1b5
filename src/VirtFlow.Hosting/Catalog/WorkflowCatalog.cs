using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using VirtFlow.Engine.Activities;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage.Catalog;

namespace VirtFlow.Hosting.Catalog;

/// <summary>
/// The server's workflow catalog on its store (<see cref="IWorkflowCatalogStore"/>): imports the <c>--workflows</c>
/// folder as published versions, finds the published version a start by name runs, and checks, saves and publishes
/// drafts. Every text is parsed within the server's <see cref="WorkflowLimits"/> and checked by <see cref="WorkflowCheck"/>,
/// the code path of <c>virtflow validate</c>.
/// </summary>
public sealed class WorkflowCatalog(IWorkflowCatalogStore store, IActivityCatalog activities, WorkflowLimits limits, ILogger<WorkflowCatalog> logger)
{
    private readonly ConcurrentDictionary<(string Name, int Version, string Hash), WorkflowDefinition> _parsed = new();

    /// <summary>The catalog's storage.</summary>
    public IWorkflowCatalogStore Store { get; } = store;

    /// <summary>The activities texts are validated against.</summary>
    public IActivityCatalog Activities { get; } = activities;

    /// <summary>The parser's limits.</summary>
    public WorkflowLimits Limits { get; } = limits;

    /// <summary>The file name a catalog text is parsed under (it names the text in diagnostics).</summary>
    public static string FileName(string name) => $"{name}.yaml";

    /// <summary>Raised (with the workflow's name) after a version was published: the scheduler registers its schedules again.</summary>
    public event Action<string>? Published;

    /// <summary>
    /// Imports each workflow of the folder (per name, the file with the highest <c>version:</c>) as a published version:
    /// a text unchanged since its last import adds nothing, a changed one adds the next version.
    /// </summary>
    public async Task<IReadOnlyList<CatalogImport>> ImportAsync(WorkflowLoadResult loaded, string importedBy, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        var imports = new List<CatalogImport>();
        foreach (var group in loaded.Workflows.GroupBy(w => w.Definition.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var latest = group.OrderByDescending(w => w.Definition.Version).First();
            var import = await Store.ImportCatalogVersionAsync(group.Key, latest.Text, latest.Definition.Hash, latest.File, importedBy, ct).ConfigureAwait(false);
            if (import.Added) Log.WorkflowImported(logger, group.Key, import.Version.Version, latest.File);
            else Log.WorkflowUnchanged(logger, group.Key, import.Version.Version, latest.File);
            imports.Add(import);
        }
        return imports;
    }

    /// <summary>Version <paramref name="version"/> of the workflow (its published one when null), parsed; null when there is none.</summary>
    /// <exception cref="WorkflowEngineException">The stored text no longer parses (the limits were lowered).</exception>
    public async Task<PublishedWorkflow?> FindPublishedAsync(string name, int? version = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stored = await Store.GetCatalogVersionAsync(name, version, ct).ConfigureAwait(false);
        return stored is null ? null : new PublishedWorkflow(stored, Definition(stored));
    }

    /// <summary>
    /// The definition of a published version, its <see cref="WorkflowDefinition.Version"/> the catalog's version number
    /// (what an instance started from it records); cached.
    /// </summary>
    public WorkflowDefinition Definition(CatalogVersion stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return _parsed.GetOrAdd((stored.Name, stored.Version, stored.DefinitionHash), _ =>
        {
            var parsed = WorkflowParser.Parse(stored.Yaml, FileName(stored.Name), Limits);
            var definition = parsed.Definition ?? throw new WorkflowEngineException(
                $"workflow '{stored.Name}' version {stored.Version} of the catalog no longer parses: {parsed.Diagnostics.First(d => d.IsError)}");
            return definition with { Version = stored.Version };
        });
    }

    /// <summary>Checks a text as <c>virtflow validate</c> does.</summary>
    public WorkflowCheckResult Check(string text, string fileName) => WorkflowCheck.Check(text, fileName, Activities, Limits);

    /// <summary>
    /// Checks a text meant for the workflow <paramref name="name"/>: <see cref="Check"/>, and its <c>name:</c> must be that
    /// name (an error at the definition otherwise).
    /// </summary>
    public IReadOnlyList<Diagnostic> CheckFor(string name, string text, out WorkflowDefinition? definition)
    {
        var check = Check(text, FileName(name));
        definition = check.Definition;
        if (definition is null || definition.Name == name) return check.Diagnostics;
        var mismatch = new Diagnostic(definition.Location ?? new SourceLocation(FileName(name), 1, 1),
            $"name: the workflow is called '{definition.Name}' but is saved as '{name}': its name: must be the name in the catalog");
        definition = null;
        return Diagnostic.Sort(check.Diagnostics.Append(mismatch));
    }

    /// <summary>Saves a draft (it may hold errors: they come back with it). Never changes a published version.</summary>
    /// <exception cref="CatalogConflictException">The ETag is stale.</exception>
    public async Task<DraftSaved> SaveDraftAsync(string name, string yaml, string? expectedETag, string savedBy, CancellationToken ct = default)
    {
        var diagnostics = CheckFor(name, yaml, out _);
        var draft = await Store.SaveCatalogDraftAsync(new CatalogDraftSave { Name = name, Yaml = yaml, SavedBy = savedBy, ExpectedETag = expectedETag }, ct)
            .ConfigureAwait(false);
        Log.DraftSaved(logger, name, draft.ETag, savedBy, diagnostics.Count(d => d.IsError));
        return new DraftSaved(draft, diagnostics);
    }

    /// <summary>
    /// Publishes the draft as the next version when it validates (else nothing changes and the diagnostics come back). With
    /// <paramref name="expectedETag"/>, only the draft of that ETag.
    /// </summary>
    /// <exception cref="CatalogConflictException">There is no draft, or not the one expected.</exception>
    public async Task<PublishResult> PublishAsync(string name, string? expectedETag, string publishedBy, CancellationToken ct = default)
    {
        var draft = await Store.GetCatalogDraftAsync(name, ct).ConfigureAwait(false);
        if (draft is null || (expectedETag is not null && expectedETag != draft.ETag))
        {
            var head = await Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false);
            throw CatalogConflictException.NoDraft(name, expectedETag ?? "(any)", head is null ? null : new CatalogWorkflowHead(head.ETag, head.PublishedVersion));
        }
        var diagnostics = CheckFor(name, draft.Yaml, out var definition);
        if (definition is null) return new PublishResult(null, diagnostics);
        var version = await Store.PublishCatalogDraftAsync(name, draft.ETag, definition.Hash, publishedBy, ct).ConfigureAwait(false);
        Log.WorkflowPublished(logger, name, version.Version, publishedBy);
        Published?.Invoke(name);
        return new PublishResult(version, diagnostics);
    }
}

/// <summary>A published version and its definition.</summary>
public sealed record PublishedWorkflow(CatalogVersion Stored, WorkflowDefinition Definition);

/// <summary>A saved draft and what its check found.</summary>
public sealed record DraftSaved(CatalogDraft Draft, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>The version a publish made, or null when the draft has errors (<see cref="Diagnostics"/>).</summary>
public sealed record PublishResult(CatalogVersion? Version, IReadOnlyList<Diagnostic> Diagnostics);
