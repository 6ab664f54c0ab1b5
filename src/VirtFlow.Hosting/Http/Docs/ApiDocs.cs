using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Scalar.AspNetCore;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Docs;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) with the API-key and bearer security schemes declared, and the Scalar
/// reference page (<c>/api/docs</c>). Both are served without a key, so the page shows the API in a plain browser (a
/// browser cannot put a header on a page load or on the page's fetch of the document): the document describes the API's
/// shape only, no data, and is public anyway (committed as <c>docs/openapi.json</c>). Every path under <c>/api</c> still
/// needs a key; the page's "Authorize" form takes one (sent as <c>X-Api-Key</c>) for trying calls.
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
        endpoints.MapOpenApi(DocumentRoute).AllowAnonymous();
        endpoints.MapScalarApiReference(PageRoute, o => o
                .WithTitle("VirtFlow API")
                .WithOpenApiRoutePattern(DocumentRoute)
                .AddPreferredSecuritySchemes(ApiKeyScheme)
                .AddApiKeyAuthentication(ApiKeyScheme, _ => { }))
            .AllowAnonymous();
        return endpoints;
    }
}
