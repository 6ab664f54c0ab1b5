using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// OIDC/JWT bearer tokens: validated against the authority's keys (or the configured signing key), then given the roles
/// their role claim maps to (<see cref="JwtSettings.RoleMapping"/>). The caller's name is the token's <c>sub</c>.
/// </summary>
internal static class JwtRoleMapping
{
    public static void Configure(JwtBearerOptions o, JwtSettings jwt)
    {
        o.MapInboundClaims = false;
        o.Audience = jwt.Audience;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidateAudience = true,
            ValidAudience = jwt.Audience,
            ValidateIssuer = jwt.Issuer is not null || jwt.Authority is not null,
            ValidIssuer = jwt.Issuer,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromSeconds(30),
            NameClaimType = "sub",
            RoleClaimType = ClaimTypes.Role,
        };
        if (jwt.Authority is not null) o.Authority = jwt.Authority;
        else
        {
            o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey!));
            o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
        o.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                if (context.Principal?.Identity is ClaimsIdentity identity)
                    foreach (var role in RolesOf(identity, jwt)) identity.AddClaim(new Claim(ClaimTypes.Role, role));
                return Task.CompletedTask;
            },
            OnChallenge = context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = "ApiKey, Bearer";
                return ApiProblems.WriteAsync(context.HttpContext, 401, "Unauthorized",
                    context.AuthenticateFailure is null ? "a valid bearer token is required" : "the bearer token is not valid: " + FirstLine(context.AuthenticateFailure.Message));
            },
            OnForbidden = context => ApiProblems.WriteForbiddenAsync(context.HttpContext),
        };
    }

    /// <summary>The VirtFlow roles of a token: each value of its role claim, mapped (a value that is a role's own name maps to it).</summary>
    internal static IEnumerable<string> RolesOf(ClaimsIdentity identity, JwtSettings jwt) =>
        identity.FindAll(jwt.RoleClaim)
            .Select(c => jwt.RoleMapping.TryGetValue(c.Value, out var mapped) ? mapped : c.Value)
            .Where(ApiRoles.IsRole)
            .Distinct(StringComparer.Ordinal)
            .ToList();

    private static string FirstLine(string text)
    {
        var cut = text.IndexOfAny(['\r', '\n']);
        var line = cut < 0 ? text : text[..cut];
        return VirtFlow.Contracts.Text.TerminalText.Safe(line, 300);
    }
}
