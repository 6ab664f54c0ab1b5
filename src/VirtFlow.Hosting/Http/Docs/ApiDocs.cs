using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Docs;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, viewer: only <c>/healthz</c> is open) with the API-key and bearer
/// security schemes declared, and the Scalar reference page (<c>/api/docs</c>). The page is served without a key: it is
/// Scalar's HTML and script (served by this server, no CDN) and holds no data of the API; a browser cannot put a header on
/// a page load, so a page behind a key could not be opened. The document it loads needs a viewer key like every read.
/// </summary>
public static class ApiDocs
{
    /// <summary>The document's name and route.</summary>
    public const string DocumentName = "v1", DocumentRoute = "/openapi/{documentName}.json", PageRoute = "/api/docs";

    /// <summary>The security schemes' names in the document.</summary>
    public const string ApiKeyScheme = "ApiKey", BearerScheme = "Bearer";

    public static IServiceCollection AddVirtFlowOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "VirtFlow",
                Version = "v1",
                Description = "The control plane of virtflow server. Every path but /healthz needs an API key (X-Api-Key or Authorization: Bearer) "
                    + "of role viewer (reads), operator (starts, cancels, retries, events, dry runs) or admin (drafts, publishes, keys, audit).",
            };
            // The document is the same whichever address served it (the committed copy is compared with it).
            document.Servers = [];
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
            {
                [ApiKeyScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "An API key (virtflow keys create); also accepted as Authorization: Bearer KEY",
                },
                [BearerScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key, or an OIDC/JWT access token when the server is configured for one (VirtFlow:Server:Jwt)",
                },
            };
            document.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            ];
            return Task.CompletedTask;
        }));

    public static IEndpointRouteBuilder MapVirtFlowDocs(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentRoute).RequireAuthorization(ApiRoles.Viewer);
        endpoints.MapScalarApiReference(PageRoute, o => o
                .WithTitle("VirtFlow API")
                .WithOpenApiRoutePattern(DocumentRoute)
                .AddPreferredSecuritySchemes(ApiKeyScheme)
                .AddApiKeyAuthentication(ApiKeyScheme, _ => { }))
            .AllowAnonymous();
        return endpoints;
    }
}
