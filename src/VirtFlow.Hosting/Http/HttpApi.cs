using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Hosting.Http.Audit;
using VirtFlow.Hosting.Http.Auth;
using VirtFlow.Hosting.Http.Designer;
using Microsoft.Extensions.DependencyInjection;
using VirtFlow.Hosting.Http.Hosts;
using VirtFlow.Hosting.Http.Events;
using VirtFlow.Hosting.Http.Instances;
using VirtFlow.Hosting.Http.Docs;
using VirtFlow.Hosting.Http.Workflows;
using VirtFlow.Hosting.Http.Preflight;
using VirtFlow.Hosting.Http.Stream;
using VirtFlow.Hosting.Http.Triggers;
using VirtFlow.Hosting.Http.Schedules;

namespace VirtFlow.Hosting.Http;

/// <summary>
/// The HTTP API of <c>virtflow server</c>: the middleware (problem details, authentication, the audit, authorization)
/// and every endpoint group under <c>/api</c>. Each group is one static class in its folder with a
/// <c>MapXxxEndpoints(this IEndpointRouteBuilder api)</c>; add one line below for a new group.
/// </summary>
public static class HttpApi
{
    /// <summary>The middleware, then the endpoints.</summary>
    public static WebApplication UseVirtFlowHttp(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        // An empty error answer (404 unknown route, 405, 401/403 from a JWT challenge) becomes problem details.
        app.UseStatusCodePages();
        // The designer's files (open, with their own security headers), before the API's authentication.
        app.UseVirtFlowDesigner(app.Services.GetRequiredService<VirtFlowHttpOptions>());
        app.UseRouting();
        app.UseMiddleware<Stream.AccessTokenQuery>();
        app.UseAuthentication();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        app.MapVirtFlowApi();
        return app;
    }

    /// <summary><c>GET /healthz</c> (the only open path), the OpenAPI document and its reference page, and the groups under <c>/api</c>.</summary>
    public static IEndpointRouteBuilder MapVirtFlowApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new Health("ok"))).AllowAnonymous().WithTags("Health").WithName("Health")
            .WithSummary("Whether the server answers (no key needed)");
        endpoints.MapVirtFlowDocs();
        var api = endpoints.MapGroup("/api");
        api.MapKeysEndpoints();
        api.MapMeEndpoints();
        api.MapAuditEndpoints();
        api.MapHostEndpoints();
        api.MapInstanceEndpoints();
        api.MapEventEndpoints();
        api.MapWorkflowEndpoints();
        api.MapRetryEndpoints();
        api.MapPreflightEndpoints();
        api.MapStreamEndpoints();
        api.MapTriggerEndpoints();
        api.MapScheduleEndpoints();
        return endpoints;
    }
}

/// <summary>The answer of <c>/healthz</c>.</summary>
public sealed record Health(string Status);
