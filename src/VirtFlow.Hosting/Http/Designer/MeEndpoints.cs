using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Designer;

/// <summary>
/// <c>GET /api/me</c> (viewer): who the caller is (key name or token subject) and its strongest role, so the designer
/// shows only what the caller may do (a viewer sees no start, cancel or retry button; the server refuses them anyway).
/// </summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new Me(
                user.Identity?.Name ?? "",
                ApiRoles.All.LastOrDefault(user.IsInRole) ?? ApiRoles.Viewer)))
            .RequireAuthorization(ApiRoles.Viewer).WithTags("Me").WithName("Me")
            .WithSummary("The caller's name and strongest role (viewer, operator or admin)");
        return api;
    }
}

/// <summary>The answer of <c>GET /api/me</c>.</summary>
public sealed record Me(string Name, string Role);
