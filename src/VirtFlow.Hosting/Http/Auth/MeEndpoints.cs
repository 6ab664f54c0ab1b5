using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// <c>GET /api/me</c> (viewer): the caller's name (key name or token subject) and its strongest role, so a client (the
/// designer) shows only what the role may do.
/// </summary>
public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGet("/me", Me).RequireAuthorization(ApiRoles.Viewer).WithTags("Keys").WithName("Me")
            .WithSummary("The caller's name and role");
        return api;
    }

    private static Ok<Caller> Me(ClaimsPrincipal user) =>
        TypedResults.Ok(new Caller(user.Identity?.Name ?? "", ApiRoles.All.Last(user.IsInRole)));
}

/// <summary>The answer of <c>GET /api/me</c>.</summary>
/// <param name="Name">The key's name, or the token's subject.</param>
/// <param name="Role">viewer, operator or admin: the strongest role the caller has.</param>
public sealed record Caller(string Name, string Role);
