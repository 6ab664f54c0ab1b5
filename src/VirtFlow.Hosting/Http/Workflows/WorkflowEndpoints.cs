using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Engine.Definitions;
using VirtFlow.Engine.Storage.Catalog;
using VirtFlow.Hosting.Catalog;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Workflows;

/// <summary>
/// The workflow catalog over HTTP: <c>/api/workflows</c> (list, get with the step graph, draft with <c>If-Match</c>, publish,
/// versions, diff), <c>POST /api/validate</c> (the diagnostics of <c>virtflow validate</c>) and <c>GET /api/schema</c> (the
/// workflow JSON Schema and the activity catalog). Viewers read and validate; admins save drafts and publish.
/// </summary>
public static partial class WorkflowEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var workflows = api.MapGroup("/workflows").WithTags("Workflows");
        workflows.MapGet("/", ListAsync).RequireAuthorization(ApiRoles.Viewer).WithName("ListWorkflows")
            .WithSummary("Every workflow of the catalog with its versions, the published one and its draft")
            .Produces<IReadOnlyList<WorkflowSummary>>();
        workflows.MapGet("/{name}", GetAsync).RequireAuthorization(ApiRoles.Viewer).WithName("GetWorkflow")
            .WithSummary("The draft (or else the published version): YAML, step graph, inputs, diagnostics, versions; its ETag in the ETag header")
            .Produces<WorkflowDocument>().ProducesProblem(StatusCodes.Status404NotFound);
        workflows.MapPut("/{name}/draft", SaveDraftAsync).RequireAuthorization(ApiRoles.Admin).WithName("SaveWorkflowDraft")
            .WithSummary("Saves the YAML body as the draft; needs If-Match with the ETag of the last read (If-None-Match: * for a new workflow)")
            .Accepts<string>("text/yaml", "application/yaml", "application/json")
            .Produces<DraftSavedDocument>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        workflows.MapPost("/{name}/publish", PublishAsync).RequireAuthorization(ApiRoles.Admin).WithName("PublishWorkflow")
            .WithSummary("Makes the draft the next version when it validates (instances in flight keep theirs); If-Match optional")
            .Produces<PublishedDocument>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workflows.MapGet("/{name}/versions/{version:int}", GetVersionAsync).RequireAuthorization(ApiRoles.Viewer).WithName("GetWorkflowVersion")
            .WithSummary("One published version: YAML, step graph, inputs")
            .Produces<WorkflowDocument>().ProducesProblem(StatusCodes.Status404NotFound);
        workflows.MapGet("/{name}/diff", DiffAsync).RequireAuthorization(ApiRoles.Viewer).WithName("DiffWorkflowVersions")
            .WithSummary("A unified diff of two versions' YAML (from, to: a version number or 'draft') and the steps added, removed and changed")
            .Produces<WorkflowDiffDocument>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/validate", ValidateAsync).RequireAuthorization(ApiRoles.Viewer).WithTags("Workflows").WithName("ValidateWorkflow")
            .WithSummary("Every diagnostic of the YAML body with line and column, the same as virtflow validate")
            .Accepts<string>("text/yaml", "application/yaml", "application/json")
            .Produces<ValidationDocument>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/schema", Schema).RequireAuthorization(ApiRoles.Viewer).WithTags("Workflows").WithName("GetWorkflowSchema")
            .WithSummary("The workflow JSON Schema and the activity catalog (names, inputs with types and descriptions, outputs)")
            .Produces<SchemaDocument>();
        return api;
    }

    private static string Caller(HttpContext context) => context.User.Identity?.Name ?? "unknown";

    private static IResult NotFound(string field, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"{field}: {detail}");

    private static IResult NoWorkflow(string name) => NotFound("name", $"no workflow '{Contracts.Text.TerminalText.Safe(name, 200)}' in the catalog");

    /// <summary>A problem carrying diagnostics (with line and column) as <c>diagnostics</c> and <c>errors</c> by field.</summary>
    private static IResult Unprocessable(string detail, IReadOnlyList<Diagnostic> diagnostics) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unprocessable Entity", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["diagnostics"] = JsonSerializer.SerializeToNode(DiagnosticInfo.From(diagnostics), Json),
                ["errors"] = new JsonObject { ["yaml"] = new JsonArray([.. diagnostics.Where(d => d.IsError).Select(d => (JsonNode)d.ToString())]) },
            });

    /// <summary>The document of a text of <paramref name="workflow"/>.</summary>
    private static WorkflowDocument Document(WorkflowCatalog catalog, CatalogWorkflow workflow, string kind, int? version, string etag, string yaml)
    {
        var diagnostics = catalog.CheckFor(workflow.Name, yaml, out var definition);
        return new WorkflowDocument(
            workflow.Name, kind, version, workflow.PublishedVersion == 0 ? null : workflow.PublishedVersion, etag, yaml,
            definition?.Hash, definition?.Description,
            definition is null ? null : StepGraph.Of(definition),
            definition is null ? null : [.. definition.Inputs.Select(WorkflowInputInfo.From)],
            DiagnosticInfo.From(diagnostics),
            [.. workflow.Versions.Select(WorkflowVersionInfo.From)],
            WorkflowDraftInfo.From(workflow.Draft));
    }
}
