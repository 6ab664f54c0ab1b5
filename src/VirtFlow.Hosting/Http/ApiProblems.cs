using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http;

/// <summary>Writes RFC 7807 problem details outside an endpoint (authentication, authorization, the exception handler).</summary>
internal static class ApiProblems
{
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (extensions is not null) foreach (var (k, v) in extensions) problem.Extensions[k] = v;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        // A client that accepts no JSON (an EventSource sends Accept: text/event-stream) still gets the problem as JSON.
        if (!await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            context.Response.ContentType = "application/problem+json";
            await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, problem, cancellationToken: context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives an empty error answer written by the framework (status code pages, Kestrel's body limit) a detail that says
    /// what to change.
    /// </summary>
    public static void Explain(ProblemDetailsContext context, VirtFlowHttpOptions options)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null) return;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status404NotFound => $"no such path: {context.HttpContext.Request.Method} {VirtFlow.Contracts.Text.TerminalText.Safe(context.HttpContext.Request.Path.Value)}",
            StatusCodes.Status405MethodNotAllowed => $"{context.HttpContext.Request.Method} is not allowed on this path",
            StatusCodes.Status413PayloadTooLarge => TooLarge(context.HttpContext, options),
            StatusCodes.Status415UnsupportedMediaType => "the request body must be JSON (Content-Type: application/json)",
            _ => null,
        };
    }

    /// <summary>The detail of a 413.</summary>
    public static string TooLarge(HttpContext context, VirtFlowHttpOptions options) =>
        $"the request body is larger than {context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? options.MaxRequestBodyBytes} bytes "
        + "(the larger of VIRTFLOW_MAX_FILE_BYTES and VIRTFLOW_MAX_INPUT_BYTES, + 64 KiB)";

    /// <summary>403, naming the caller's role and the role the endpoint needs.</summary>
    public static Task WriteForbiddenAsync(HttpContext context)
    {
        var needed = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().LastOrDefault();
        var role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "none";
        var who = context.User.Identity?.Name ?? "the caller";
        return WriteAsync(context, StatusCodes.Status403Forbidden, "Forbidden",
            needed is null ? $"'{who}' (role {role}) may not do this" : $"'{who}' has role {role}; this needs {needed} or above",
            new Dictionary<string, object?> { ["role"] = role, ["requiredRole"] = needed });
    }
}
