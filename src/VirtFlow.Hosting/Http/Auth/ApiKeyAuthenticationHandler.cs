using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// Authenticates a request by its API key, <c>X-Api-Key: KEY</c> or <c>Authorization: Bearer KEY</c>: the caller's name
/// is the key's name, its role claim the key's role. No key: no result (the endpoint's policy then challenges, 401); an
/// unknown, revoked or expired key: failure (401). Both answers are problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyValidator validator)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that carries a key.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>The claim holding the key's id.</summary>
    public const string KeyIdClaim = "virtflow:key_id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey(Request) is not { } key) return AuthenticateResult.NoResult();
        var record = await validator.FindValidAsync(key, Context.RequestAborted).ConfigureAwait(false);
        if (record is null) return AuthenticateResult.Fail("the API key is unknown, revoked or expired");
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, record.Role), new Claim(KeyIdClaim, record.Id)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
        var failure = Context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure?.Message
            ?? (PresentedKey(Request) is null ? null : "the API key is unknown, revoked or expired");
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? $"an API key is required: header '{Header}: KEY' or 'Authorization: Bearer KEY'");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => ApiProblems.WriteForbiddenAsync(Context);

    /// <summary>The key in <c>X-Api-Key</c>, else in <c>Authorization: Bearer</c>; null when neither.</summary>
    internal static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[Header] is [{ Length: > 0 } key]) return key.Trim();
        var authorization = request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > 7 ? authorization[7..].Trim() : null;
    }
}
