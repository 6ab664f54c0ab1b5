using Microsoft.AspNetCore.Http;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Workflows;

public static partial class WorkflowEndpoints
{
    /// <summary>The file name diagnostics of <c>POST /api/validate</c> carry unless <c>?file=</c> names one.</summary>
    internal const string DefaultFile = "workflow.yaml";

    private static async Task<IResult> ValidateAsync(string? file, HttpContext context, WorkflowCatalog catalog, CancellationToken ct)
    {
        if (file is not null && !WorkflowNames.IsValid(file))
            return YamlBody.Invalid("file", $"'{Contracts.Text.TerminalText.Safe(file, 200)}' is not a plain file name ({WorkflowNames.Pattern})");
        var (yaml, problem) = await YamlBody.ReadAsync(context.Request, catalog.Limits.MaxFileBytes, ct).ConfigureAwait(false);
        if (problem is not null) return problem;
        var check = catalog.Check(yaml!, file ?? DefaultFile);
        return TypedResults.Ok(new ValidationDocument(!check.HasErrors, check.Diagnostics.Count(d => d.IsError), check.Diagnostics.Count(d => !d.IsError),
            DiagnosticInfo.From(check.Diagnostics)));
    }

    private static IResult Schema(WorkflowCatalog catalog) =>
        TypedResults.Ok(new SchemaDocument(WorkflowSchemaGenerator.Generate(catalog.Activities),
            [.. catalog.Activities.All.OrderBy(a => a.Type, StringComparer.Ordinal).Select(ActivityInfo.From)]));
}
