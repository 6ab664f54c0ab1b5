using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// The workflow a start names, from the server's workflow catalog (<see cref="WorkflowCatalog"/>): by name its published
/// version, or by name and version that version; the definition's version is the catalog's, so the instance records it.
/// </summary>
internal static class InstanceWorkflows
{
    public static async Task<WorkflowDefinition?> FindAsync(WorkflowCatalog catalog, string name, int? version, CancellationToken ct) =>
        (await catalog.FindPublishedAsync(name, version, ct).ConfigureAwait(false))?.Definition;

    /// <summary>"unknown workflow 'x' (this server knows: a, b)" or "workflow 'x' has no version 3 (it has: 1, 2)".</summary>
    public static async Task<string> NotFoundAsync(WorkflowCatalog catalog, string name, int? version, CancellationToken ct)
    {
        if (version is { } v && await catalog.Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false) is { PublishedVersion: > 0 } head)
            return $"workflow '{name}' has no version {v} (it has: {string.Join(", ", head.Versions.Select(x => x.Version))})";
        var known = (await catalog.Store.ListCatalogAsync(ct).ConfigureAwait(false)).Where(w => w.PublishedVersion > 0).Select(w => w.Name).ToList();
        return $"unknown workflow '{name}' (this server knows: {(known.Count == 0 ? "none" : string.Join(", ", known))})";
    }
}
