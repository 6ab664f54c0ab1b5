using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Runtime;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Instances;

/// <summary>
/// <c>POST /api/instances/{id}/retry</c> <c>{fromStep?, inputs?}</c> (operator): continues a faulted instance from its
/// faulted step, or from <c>fromStep</c>, with the completed steps kept (<see cref="WorkflowEngine.RetryAsync"/>). 404 no
/// such instance; 409 not faulted, or its lock is held by another instance (naming it: <see cref="ApiExceptionHandler"/>); 400 an unknown step or bad inputs,
/// naming the field.
/// </summary>
public static class RetryEndpoints
{
    public static IEndpointRouteBuilder MapRetryEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/instances/{id}/retry", RetryAsync).RequireAuthorization(ApiRoles.Operator).WithTags("Instances").WithName("RetryInstance")
            .WithSummary("Continue a faulted instance from its faulted step (or fromStep), completed steps kept; inputs are merged and checked");
        return api;
    }

    private static async Task<Results<Ok<RetryAnswer>, ProblemHttpResult, ValidationProblem>> RetryAsync(
        string id, RetryRequest? request, WorkflowEngine engine, CancellationToken ct)
    {
        try
        {
            var from = await engine.RetryAsync(id, request?.FromStep, request?.Inputs, ct).ConfigureAwait(false);
            var instance = await engine.GetInstanceAsync(id, ct).ConfigureAwait(false);
            return TypedResults.Ok(new RetryAnswer(id, from, instance?.Status.ToString().ToLowerInvariant() ?? "unknown", instance?.Fault));
        }
        catch (WorkflowRetryException e) when (e.Reason == RetryRefusal.UnknownStep)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["fromStep"] = [Safe(e.Message)] }, detail: Safe(e.Message));
        }
        catch (WorkflowRetryException e)
        {
            var status = e.Reason == RetryRefusal.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict;
            return TypedResults.Problem(Safe(e.Message), statusCode: status);
        }
        catch (WorkflowInputException e)
        {
            return TypedResults.ValidationProblem(
                e.Errors.GroupBy(x => "inputs." + x.Input).ToDictionary(g => g.Key, g => g.Select(x => Safe(x.Message)).ToArray()), detail: Safe(e.Message));
        }
        catch (WorkflowEngineException e) when (e is not WorkflowLockedException)
        {
            return TypedResults.Problem(Safe(e.Message), statusCode: StatusCodes.Status400BadRequest);
        }
    }

    private static string Safe(string text) => TerminalText.Safe(text, 500);
}

/// <summary>The body of a retry: the step to continue from (default: the faulted one) and inputs to change.</summary>
public sealed record RetryRequest(string? FromStep, JsonObject? Inputs);

/// <summary>The answer of a retry: the step it continued from and the instance's status once it ran as far as it could.</summary>
public sealed record RetryAnswer(string Id, string FromStep, string Status, string? Fault);
