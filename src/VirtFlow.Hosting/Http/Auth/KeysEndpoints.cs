using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// <c>/api/keys</c> (admin): list keys (never a key or its hash), create one (the key is in the answer, once), revoke
/// one by name or id (at once on this server, within <see cref="VirtFlowHttpOptions.KeyCacheTime"/> on the others).
/// </summary>
public static class KeysEndpoints
{
    public static IEndpointRouteBuilder MapKeysEndpoints(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/keys").RequireAuthorization(ApiRoles.Admin).WithTags("Keys");
        keys.MapGet("/", ListAsync).WithName("ListKeys").WithSummary("Every API key, revoked ones too (never the key or its hash)");
        keys.MapPost("/", CreateAsync).WithName("CreateKey").WithSummary("Creates a key; the answer holds the key, shown this once");
        keys.MapDelete("/{nameOrId}", RevokeAsync).WithName("RevokeKey").WithSummary("Revokes the key with that id, or the active one of that name");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ApiKeyInfo>>> ListAsync(IApiKeyStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ApiKeyInfo>>([.. (await store.ListApiKeysAsync(ct).ConfigureAwait(false)).Select(ApiKeyInfo.From)]);

    private static async Task<Results<Created<CreatedApiKey>, ValidationProblem, Conflict<Microsoft.AspNetCore.Mvc.ProblemDetails>>> CreateAsync(
        CreateApiKeyRequest request, HttpContext context, IApiKeyStore store, ApiKeyValidator validator, TimeProvider time, ILogger<ApiKeyValidator> logger, CancellationToken ct)
    {
        try
        {
            var (key, record) = await ApiKeyIssuer.CreateAsync(store, request.Name, request.Role, request.ExpiresAt, time, ct).ConfigureAwait(false);
            validator.Forget();
            Log.KeyCreated(logger, record.Id, TerminalText.Safe(record.Name), record.Role, TerminalText.Safe(context.User.Identity?.Name));
            var info = ApiKeyInfo.From(record);
            return TypedResults.Created($"/api/keys/{record.Id}", new CreatedApiKey(key, info));
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [e.ParamName ?? "body"] = [e.Message.Split(" (Parameter", 2)[0]] });
        }
        catch (ApiKeyNameTakenException e)
        {
            return TypedResults.Conflict(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 409, Title = "Conflict", Detail = e.Message });
        }
    }

    private static async Task<Results<Ok<ApiKeyInfo>, NotFound<Microsoft.AspNetCore.Mvc.ProblemDetails>>> RevokeAsync(
        string nameOrId, HttpContext context, IApiKeyStore store, ApiKeyValidator validator, TimeProvider time, ILogger<ApiKeyValidator> logger, CancellationToken ct)
    {
        var revoked = await store.RevokeApiKeyAsync(nameOrId, time.GetUtcNow(), ct).ConfigureAwait(false);
        validator.Forget();
        if (revoked is null)
            return TypedResults.NotFound(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = 404, Title = "Not Found", Detail = $"no key with id or active name '{TerminalText.Safe(nameOrId)}'" });
        Log.KeyRevoked(logger, revoked.Id, TerminalText.Safe(revoked.Name), TerminalText.Safe(context.User.Identity?.Name));
        return TypedResults.Ok(ApiKeyInfo.From(revoked));
    }
}

/// <summary>A key's public facts.</summary>
public sealed record ApiKeyInfo(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    internal static ApiKeyInfo From(ApiKeyRecord r) => new(r.Id, r.Name, r.Role, r.CreatedAt, r.ExpiresAt, r.RevokedAt);
}

/// <summary>The body of <c>POST /api/keys</c>.</summary>
/// <param name="Name">Unique among the keys not revoked.</param>
/// <param name="Role">viewer, operator or admin.</param>
/// <param name="ExpiresAt">When it stops working; null: never.</param>
public sealed record CreateApiKeyRequest(string? Name, string? Role, DateTimeOffset? ExpiresAt);

/// <summary>A new key: <see cref="Key"/> is shown this once.</summary>
public sealed record CreatedApiKey(string Key, ApiKeyInfo Info);
