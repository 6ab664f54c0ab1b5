using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Runtime;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Paging;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Engine.Definitions;
using VirtFlow.Hosting.Catalog;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// <c>/api/instances</c>: start (operator; <c>Idempotency-Key</c>; <c>?dryRun=true</c> through <see cref="IPreflight"/>),
/// list with filters and keyset paging (viewer), one instance with its steps (viewer), its journal (viewer), cancel (operator).
/// </summary>
public static class InstanceEndpoints
{
    private const int DefaultJournalLimit = 100;
    private const int MaxJournalLimit = 1000;

    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/instances").WithTags("Instances");
        group.MapPost("/", StartAsync).RequireAuthorization(ApiRoles.Operator).WithName("StartInstance")
            .WithSummary("Starts an instance (201); with Idempotency-Key a repeat answers 200 with the same id; ?dryRun=true plans only")
            .Produces<StartInstanceResponse>(StatusCodes.Status201Created).Produces<StartInstanceResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).RequireAuthorization(ApiRoles.Viewer).WithName("ListInstances")
            .WithSummary("Instances newest first, filtered and paged on the server").Produces<InstanceList>().ProducesValidationProblem();
        group.MapGet("/{id}", GetAsync).RequireAuthorization(ApiRoles.Viewer).WithName("GetInstance")
            .WithSummary("An instance with each step's state, attempts and progress").Produces<InstanceDetail>().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/journal", JournalAsync).RequireAuthorization(ApiRoles.Viewer).WithName("GetInstanceJournal")
            .WithSummary("The instance's journal after a sequence number").Produces<JournalPage>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(ApiRoles.Operator).WithName("CancelInstance")
            .WithSummary("Cancels an instance (409 when it already ended)").Produces<CancelInstanceResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> StartAsync(
        StartInstanceRequest request, HttpContext context, WorkflowEngine engine, WorkflowCatalog catalog, TimeProvider clock,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, [FromQuery] bool? dryRun, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Workflow))
            return Invalid("workflow", "the workflow to start is missing (give its name as 'workflow')");
        if (request.Version is < 1) return Invalid("version", $"version {request.Version} is not a version (1 or more)");
        if (idempotencyKey is not null && IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
            return Invalid(IdempotencyKeys.Header, keyProblem);
        WorkflowDefinition? definition;
        try
        {
            definition = await InstanceWorkflows.FindAsync(catalog, request.Workflow, request.Version, ct).ConfigureAwait(false);
        }
        catch (WorkflowEngineException e)
        {
            return Invalid("workflow", TerminalText.Safe(e.Message, 1000));
        }
        if (definition is null)
            return TypedResults.Problem(
                TerminalText.Safe(await InstanceWorkflows.NotFoundAsync(catalog, request.Workflow, request.Version, ct).ConfigureAwait(false), 1000),
                statusCode: StatusCodes.Status404NotFound, title: "Unknown workflow", extensions: Field("workflow"));
        var caller = context.User.Identity?.Name ?? "anonymous";

        if (dryRun == true)
        {
            var preflight = context.RequestServices.GetService<IPreflight>();
            if (preflight is null)
                return TypedResults.Problem("this server cannot run a dry run (no preflight is configured)", statusCode: StatusCodes.Status501NotImplemented,
                    title: "Not Implemented", extensions: Field("dryRun"));
            return await preflight.DryRunAsync(
                new PreflightRequest(definition, (System.Text.Json.Nodes.JsonObject?)request.Inputs?.DeepClone() ?? [], request.CorrelationId, caller), ct)
                .ConfigureAwait(false);
        }

        var options = context.RequestServices.GetRequiredService<VirtFlowHttpOptions>();
        var outcome = await new InstanceStarter(engine, clock, options).StartAsync(definition, request, caller, idempotencyKey, ct).ConfigureAwait(false);
        return outcome.Kind switch
        {
            StartOutcomeKind.Started => TypedResults.Created($"/api/instances/{outcome.InstanceId}", new StartInstanceResponse(outcome.InstanceId!)),
            StartOutcomeKind.Repeated => Repeated(context, outcome.InstanceId!),
            StartOutcomeKind.KeyReused => TypedResults.Problem(
                $"the {IdempotencyKeys.Header} '{TerminalText.Safe(idempotencyKey, 200)}' was used for a different request (it started instance "
                + $"{outcome.InstanceId}); use a new key for a new start",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused",
                extensions: new Dictionary<string, object?> { ["field"] = IdempotencyKeys.Header, ["instanceId"] = outcome.InstanceId }),
            _ => Refused(outcome.Problem!),
        };
    }

    private static IResult Repeated(HttpContext context, string id)
    {
        context.Response.Headers.Location = $"/api/instances/{id}";
        return TypedResults.Ok(new StartInstanceResponse(id));
    }

    /// <summary>The engine's refusal: 400 naming each input (<c>inputs.vm</c>), or the workflow when it cannot run.</summary>
    private static IResult Refused(WorkflowEngineException problem)
    {
        if (problem is WorkflowInputException inputs)
        {
            var errors = inputs.Errors.GroupBy(e => $"inputs.{e.Input}")
                .ToDictionary(g => g.Key, g => g.Select(e => TerminalText.Safe(e.Message, 500)).ToArray());
            return TypedResults.ValidationProblem(errors, detail: TerminalText.Safe(inputs.Message, 1000), title: "Invalid inputs");
        }
        return Invalid("workflow", TerminalText.Safe(problem.Message, 1000));
    }

    private static async Task<IResult> ListAsync([AsParameters] InstanceListParameters parameters, WorkflowEngine engine, CancellationToken ct)
    {
        if (!parameters.TryParse(out var query, out var errors))
            return BadParameters(errors);
        var store = engine.Store as IInstanceListStore
            ?? throw new InvalidOperationException($"the store {engine.Store.GetType().Name} cannot list instances by page");
        var page = await store.ListInstancePageAsync(query, ct).ConfigureAwait(false);
        return TypedResults.Ok(new InstanceList([.. page.Items.Select(InstanceListItem.From)], page.Next?.Encode()));
    }

    private static async Task<IResult> GetAsync(string id, WorkflowEngine engine, CancellationToken ct)
    {
        var instance = await engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        if (instance is null) return NotFound(id);
        var progress = await InstanceJournal.LatestProgressAsync(engine.Store, id, ct).ConfigureAwait(false);
        // An instance a schedule started names the schedule and the scheduled time (the firing's record).
        var firing = engine.Store is VirtFlow.Engine.Storage.Schedules.IScheduleStore schedules
            ? await schedules.GetFiringOfInstanceAsync(id, ct).ConfigureAwait(false)
            : null;
        return TypedResults.Ok(InstanceDetail.From(instance, progress) with { ScheduleId = firing?.ScheduleId, ScheduledTime = firing?.ScheduledTime });
    }

    private static async Task<IResult> JournalAsync(string id, [FromQuery] string? after, [FromQuery] string? limit, WorkflowEngine engine, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        long from = 0;
        if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
            errors["after"] = [$"'{TerminalText.Safe(after, 64)}' is not a sequence number (0 or more)"];
        var size = DefaultJournalLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxJournalLimit))
            errors["limit"] = [$"'{TerminalText.Safe(limit, 64)}' is not a page size from 1 to {MaxJournalLimit}"];
        if (errors.Count > 0)
            return BadParameters(errors);
        if (await engine.GetInstanceAsync(id, ct).ConfigureAwait(false) is null) return NotFound(id);
        var lines = (await InstanceJournal.PageAsync(engine.Store, id, from, size, ct).ConfigureAwait(false)).Select(JournalLine.From).ToList();
        return TypedResults.Ok(new JournalPage(lines, lines.Count == 0 ? null : lines[^1].Sequence));
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext context, WorkflowEngine engine, CancellationToken ct)
    {
        var request = context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0
            ? await context.Request.ReadFromJsonAsync<CancelInstanceRequest>(ct).ConfigureAwait(false)
            : null;
        var before = await engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        if (before is null) return NotFound(id);
        if (before.IsFinal) return Final(before);
        var who = context.User.Identity?.Name ?? "anonymous";
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? $"cancelled by {who} through the API" : TerminalText.Safe(request.Reason, 500);
        if (!await engine.CancelAsync(id, reason, ct).ConfigureAwait(false))
            return await engine.GetInstanceAsync(id, ct).ConfigureAwait(false) is { } after ? Final(after) : NotFound(id);
        var now = await engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
        return TypedResults.Ok(new CancelInstanceResponse(id, now?.Status ?? InstanceStatus.Cancelled));
    }

    private static IResult Final(WorkflowInstance instance) => TypedResults.Problem(
        $"instance {instance.Id} already ended ({instance.Status.ToString().ToLowerInvariant()}): nothing to cancel",
        statusCode: StatusCodes.Status409Conflict, title: "Already ended",
        extensions: new Dictionary<string, object?> { ["field"] = "id", ["instanceStatus"] = instance.Status.ToString().ToLowerInvariant() });

    private static IResult NotFound(string id) => TypedResults.Problem($"no instance '{TerminalText.Safe(id, 200)}'",
        statusCode: StatusCodes.Status404NotFound, title: "Unknown instance", extensions: Field("id"));

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, detail: $"{field}: {message}");

    private static IResult BadParameters(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: $"bad query parameter: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value[0]}"))}");

    private static Dictionary<string, object?> Field(string name) => new() { ["field"] = name };
}
