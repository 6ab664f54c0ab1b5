using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Contracts.Text;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Preflight;
using VirtFlow.Hosting.Server;

namespace VirtFlow.Hosting.Http.Preflight;

/// <summary>
/// <c>POST /api/preflight</c> <c>{workflow, inputs}</c> (operator): the dry run of a start (<see cref="VmPreflight"/>);
/// changes and stores nothing. 200 with the plan (<c>canRun</c> false and its problems when the run would fail), 404 for
/// a workflow the server does not know. <c>POST /api/instances?dryRun=true</c> answers the same through
/// <see cref="PlanAsync"/>.
/// </summary>
public static class PreflightEndpoints
{
    public static IEndpointRouteBuilder MapPreflightEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/preflight", PreflightAsync).RequireAuthorization(ApiRoles.Operator).WithTags("Instances").WithName("Preflight")
            .WithSummary("Dry run of a start: inputs, lock, and what the host's worker reports on the VM, disks and targets; changes nothing");
        return api;
    }

    private static Task<Results<Ok<PreflightPlan>, ProblemHttpResult, ValidationProblem>> PreflightAsync(
        PreflightRequest request, ServerWorkflows workflows, VmPreflight preflight, CancellationToken ct) =>
        PlanAsync(request.Workflow, request.Inputs, workflows, preflight, ct);

    /// <summary>The plan for <paramref name="workflow"/> by name (for the dry run of <c>POST /api/instances</c> too).</summary>
    public static async Task<Results<Ok<PreflightPlan>, ProblemHttpResult, ValidationProblem>> PlanAsync(
        string? workflow, JsonObject? inputs, ServerWorkflows workflows, VmPreflight preflight, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(preflight);
        if (string.IsNullOrWhiteSpace(workflow))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["workflow"] = ["the workflow to plan is required"] });
        if (workflows.Find(workflow) is not { } definition)
            return TypedResults.Problem($"unknown workflow '{TerminalText.Safe(workflow, 100)}' (this server knows: {string.Join(", ", workflows.Names)})",
                statusCode: StatusCodes.Status404NotFound);
        return TypedResults.Ok(await preflight.PlanAsync(definition, inputs, ct: ct).ConfigureAwait(false));
    }
}

/// <summary>The body of a dry run: the workflow by name and its inputs.</summary>
public sealed record PreflightRequest(string? Workflow, JsonObject? Inputs);
