using Microsoft.AspNetCore.Http;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Workflows;

public static partial class WorkflowEndpoints
{
    private static async Task<IResult> SaveDraftAsync(string name, HttpContext context, WorkflowCatalog catalog, CancellationToken ct)
    {
        if (!WorkflowNames.IsValid(name))
            return YamlBody.Invalid("name", $"'{Contracts.Text.TerminalText.Safe(name, 200)}' is not a workflow name ({WorkflowNames.Pattern}, at most 200 characters)");
        var ifMatch = EntityTags.IfMatch(context.Request);
        var create = EntityTags.IfNoneMatchAny(context.Request);
        if ((ifMatch is null && !create) || ifMatch == "*")
            return TypedResults.Problem(statusCode: StatusCodes.Status428PreconditionRequired, title: "Precondition Required",
                detail: "If-Match: send the ETag of your last read of the workflow (GET /api/workflows/{name}), or If-None-Match: * to create a new one",
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["If-Match"] = ["required"] } });
        var (yaml, problem) = await YamlBody.ReadAsync(context.Request, catalog.Limits.MaxFileBytes, ct).ConfigureAwait(false);
        if (problem is not null) return problem;
        try
        {
            var saved = await catalog.SaveDraftAsync(name, yaml!, ifMatch, Caller(context), ct).ConfigureAwait(false);
            EntityTags.Set(context.Response, saved.Draft.ETag);
            var d = saved.Draft;
            return TypedResults.Ok(new DraftSavedDocument(name, d.ETag, d.SavedBy, d.SavedAt, d.BaseVersion, !saved.Diagnostics.Any(x => x.IsError),
                DiagnosticInfo.From(saved.Diagnostics)));
        }
        catch (CatalogConflictException e)
        {
            return Conflict(e, ifMatch is null ? "If-None-Match" : "If-Match");
        }
    }

    private static async Task<IResult> PublishAsync(string name, HttpContext context, WorkflowCatalog catalog, CancellationToken ct)
    {
        if (!WorkflowNames.IsValid(name)) return NoWorkflow(name);
        var workflow = await catalog.Store.GetCatalogWorkflowAsync(name, ct).ConfigureAwait(false);
        if (workflow is null) return NoWorkflow(name);
        var ifMatch = EntityTags.IfMatch(context.Request);
        try
        {
            var result = await catalog.PublishAsync(name, ifMatch is null or "*" ? null : ifMatch, Caller(context), ct).ConfigureAwait(false);
            if (result.Version is not { } version)
            {
                var errors = result.Diagnostics.Where(d => d.IsError).ToList();
                return Unprocessable($"yaml: the draft has {errors.Count} error{(errors.Count == 1 ? "" : "s")} and was not published; the first: {errors[0]}",
                    result.Diagnostics);
            }
            EntityTags.Set(context.Response, version.ETag);
            return TypedResults.Created($"/api/workflows/{name}/versions/{version.Version}", new PublishedDocument(
                name, version.Version, version.DefinitionHash, version.PublishedBy, version.PublishedAt, version.ETag, DiagnosticInfo.From(result.Diagnostics)));
        }
        catch (CatalogConflictException e)
        {
            return Conflict(e, "If-Match");
        }
    }

    /// <summary>409 naming the header, with the workflow's current ETag and published version.</summary>
    private static IResult Conflict(CatalogConflictException e, string field) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: $"{field}: {e.Message}",
            extensions: new Dictionary<string, object?>
            {
                ["currentETag"] = e.CurrentETag is null ? null : EntityTags.Quote(e.CurrentETag),
                ["publishedVersion"] = e.PublishedVersion,
                ["errors"] = new Dictionary<string, string[]> { [field] = [e.Message] },
            });
}
