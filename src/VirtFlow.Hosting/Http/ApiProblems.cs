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
