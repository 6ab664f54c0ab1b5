using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Hosting.Catalog;

/// <summary>
/// The server's definitions: by name, the catalog's published version (so a <c>call</c> step runs what a start by name
/// runs); by hash, the exact definition an instance started with (<see cref="WorkflowDefinitionRegistry"/>: kept, or read
/// back from the store), so an instance in flight keeps its version whatever is published meanwhile.
/// </summary>
public sealed class CatalogDefinitionProvider(WorkflowCatalog catalog, WorkflowDefinitionRegistry registry) : IWorkflowDefinitionProvider
{
    /// <inheritdoc />
    public async ValueTask<WorkflowDefinition?> FindByNameAsync(string name, CancellationToken ct) =>
        (await catalog.FindPublishedAsync(name, null, ct).ConfigureAwait(false))?.Definition
        ?? await registry.FindByNameAsync(name, ct).ConfigureAwait(false);

    /// <inheritdoc />
    public ValueTask<WorkflowDefinition?> FindByHashAsync(string hash, CancellationToken ct) => registry.FindByHashAsync(hash, ct);
}
