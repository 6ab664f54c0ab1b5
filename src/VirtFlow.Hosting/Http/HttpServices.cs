using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Api;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Http.Docs;
using VirtFlow.Hosting.Http.Stream;

namespace VirtFlow.Hosting.Http;

/// <summary>The HTTP API's services: JSON (camelCase), problem details, API-key (and optional JWT) authentication, the role policies.</summary>
public static class HttpServices
{
    /// <summary>The authentication scheme that picks API key or JWT per request.</summary>
    internal const string Scheme = "VirtFlow";

    public static IServiceCollection AddVirtFlowHttp(this IServiceCollection services, VirtFlowHttpOptions options, IWorkflowStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(ApiKeyIssuer.KeysOf(store));
        services.AddSingleton(store as IAuditStore ?? throw new ArgumentException($"the store {store.GetType().Name} keeps no audit log", nameof(store)));
        services.AddSingleton<ApiKeyValidator>();
        services.AddSingleton<Hosts.LiveHosts>();
        services.TryAddSingleton<VirtFlow.Hosting.Preflight.IVmInspector, Preflight.LiveVmInspector>();
        services.TryAddSingleton<VirtFlow.Hosting.Preflight.VmPreflight>();
        services.TryAddSingleton<Instances.IPreflight, Preflight.PlanningPreflight>();
        services.AddRouting();
        // Nothing here uses data protection (no cookies): keep its keys in memory instead of the user's profile.
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context => ApiProblems.Explain(context, options));
        services.AddVirtFlowOpenApi();
        services.AddLiveStream(options.Stream);
        services.AddHostedService<Instances.IdempotencySweep>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // A body that is not JSON of the right shape is thrown to the exception handler, which names the field.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));

        var authentication = services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "API key or JWT bearer", o => o.ForwardDefaultSelector = context =>
                options.Jwt is not null && IsJwt(context.Request) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (options.Jwt is { } jwt) authentication.AddJwtBearer(o => JwtRoleMapping.Configure(o, jwt));

        services.AddAuthorizationBuilder()
            // Anything mapped without a policy still needs a valid caller; only /healthz opts out.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ApiRoles.Viewer, p => p.RequireRole(ApiRoles.AtLeast(ApiRoles.Viewer)))
            .AddPolicy(ApiRoles.Operator, p => p.RequireRole(ApiRoles.AtLeast(ApiRoles.Operator)))
            .AddPolicy(ApiRoles.Admin, p => p.RequireRole(ApiRoles.AtLeast(ApiRoles.Admin)));
        return services;
    }

    /// <summary>A bearer token in JWT form (header.payload.signature) rather than an API key.</summary>
    private static bool IsJwt(HttpRequest request) =>
        request.Headers[ApiKeyAuthenticationHandler.Header].Count == 0
        && ApiKeyAuthenticationHandler.PresentedKey(request) is { } token
        && !token.StartsWith(ApiKeySecrets.Prefix, StringComparison.Ordinal)
        && token.Count(c => c == '.') == 2;
}
