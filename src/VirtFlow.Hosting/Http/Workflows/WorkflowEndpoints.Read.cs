using Microsoft.AspNetCore.Http;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Workflows;

public static partial class WorkflowEndpoints
{
    private static async Task<IResult> ListAsync(WorkflowCatalog catalog, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<WorkflowSummary>>([.. (await catalog.Store.ListCatalogAsync(ct).ConfigureAwait(false)).Select(WorkflowSummary.From)]);

    private static async Task<IResult> GetAsync(string name, WorkflowCatalog catalog, HttpContext context, CancellationToken ct)
    {
        if (!WorkflowNames.IsValid(name)) return NoWorkflow(name);
        var workflow = await catalog.Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false);
        if (workflow is null) return NoWorkflow(name);
        WorkflowDocument document;
        if (workflow.Draft is not null && await catalog.Store.GetCatalogDraftAsync(name, ct).ConfigureAwait(false) is { } draft)
            document = Document(catalog, workflow with { Draft = draft.Info }, "draft", null, draft.ETag, draft.Yaml);
        else if (await catalog.Store.GetCatalogVersionAsync(name, null, ct).ConfigureAwait(false) is { } published)
            document = Document(catalog, workflow with { Draft = null }, "published", published.Version, published.ETag, published.Yaml);
        else
            return NoWorkflow(name);
        EntityTags.Set(context.Response, document.ETag);
        return TypedResults.Ok(document);
    }

    private static async Task<IResult> GetVersionAsync(string name, int version, WorkflowCatalog catalog, CancellationToken ct)
    {
        if (!WorkflowNames.IsValid(name)) return NoWorkflow(name);
        var workflow = await catalog.Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false);
        if (workflow is null) return NoWorkflow(name);
        var stored = await catalog.Store.GetCatalogVersionAsync(name, version, ct).ConfigureAwait(false);
        if (stored is null) return NotFound("version", $"workflow '{name}' has no version {version} (versions: {Versions(workflow)})");
        return TypedResults.Ok(Document(catalog, workflow, "version", stored.Version, stored.ETag, stored.Yaml));
    }

    private static async Task<IResult> DiffAsync(string name, string? from, string? to, WorkflowCatalog catalog, CancellationToken ct)
    {
        if (!WorkflowNames.IsValid(name)) return NoWorkflow(name);
        if (string.IsNullOrWhiteSpace(from)) return YamlBody.Invalid("from", "which version to compare from: a version number or 'draft' (?from=1&to=2)");
        if (string.IsNullOrWhiteSpace(to)) return YamlBody.Invalid("to", "which version to compare to: a version number or 'draft' (?from=1&to=2)");
        var workflow = await catalog.Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false);
        if (workflow is null) return NoWorkflow(name);
        var (a, aProblem) = await TextOfAsync(catalog, workflow, "from", from, ct).ConfigureAwait(false);
        if (aProblem is not null) return aProblem;
        var (b, bProblem) = await TextOfAsync(catalog, workflow, "to", to, ct).ConfigureAwait(false);
        if (bProblem is not null) return bProblem;
        var file = WorkflowCatalog.FileName(name);
        var unified = LineDiff.Unified(a!, b!, $"{file} {Label(from)}", $"{file} {Label(to)}");
        var before = catalog.Check(a!, file).Definition;
        var after = catalog.Check(b!, file).Definition;
        var steps = before is null || after is null ? null : StepDiff.Compare(before, after);
        return TypedResults.Ok(new WorkflowDiffDocument(name, Label(from), Label(to), unified, steps));
    }

    /// <summary>The text a <c>from</c>/<c>to</c> names: a version number, or <c>draft</c>.</summary>
    private static async Task<(string? Text, IResult? Problem)> TextOfAsync(WorkflowCatalog catalog, CatalogWorkflow workflow, string field,
        string which, CancellationToken ct)
    {
        if (which.Trim().Equals("draft", StringComparison.OrdinalIgnoreCase))
        {
            var draft = await catalog.Store.GetCatalogDraftAsync(workflow.Name, ct).ConfigureAwait(false);
            return draft is null ? (null, NotFound(field, $"workflow '{workflow.Name}' has no draft")) : (draft.Yaml, null);
        }
        if (!int.TryParse(which, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < 1)
            return (null, YamlBody.Invalid(field, $"'{Contracts.Text.TerminalText.Safe(which, 50)}' is neither a version number (1, 2, ...) nor 'draft'"));
        var stored = await catalog.Store.GetCatalogVersionAsync(workflow.Name, version, ct).ConfigureAwait(false);
        return stored is null
            ? (null, NotFound(field, $"workflow '{workflow.Name}' has no version {version} (versions: {Versions(workflow)})"))
            : (stored.Yaml, null);
    }

    private static string Label(string which) => which.Trim().Equals("draft", StringComparison.OrdinalIgnoreCase) ? "draft" : "v" + which.Trim();

    private static string Versions(CatalogWorkflow workflow) =>
        workflow.Versions.Count == 0 ? "none" : string.Join(", ", workflow.Versions.Select(v => v.Version));
}
