using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using VirtFlow.Contracts.Text;
using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Hosting.Http.Audit;

/// <summary>
/// Journals every mutating call under <c>/api</c> (POST, PUT, PATCH, DELETE) once it is answered: the caller (key name or
/// token subject), the action (method and route pattern), the target (route values), the time and the status, refusals
/// (403) and failures included. Only authenticated callers are journaled: a request without a valid key is refused
/// before it can do anything, and journaling it would let anyone fill the log.
/// </summary>
internal sealed class AuditMiddleware(RequestDelegate next, IAuditStore store, TimeProvider time, ILogger<AuditMiddleware> logger)
{
    private const int MaxTargetLength = 500;

    public async Task InvokeAsync(HttpContext context)
    {
        int? failed = null;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // the exception handler answers it: with the bad request's status, or 500
            failed = e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            throw;
        }
        finally
        {
            if (IsMutating(context.Request) && context.User.Identity is { IsAuthenticated: true } identity)
                await WriteAsync(context, identity.Name ?? "(unnamed)", failed ?? context.Response.StatusCode).ConfigureAwait(false);
        }
    }

    private static bool IsMutating(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method));

    private async Task WriteAsync(HttpContext context, string actor, int status)
    {
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var action = $"{context.Request.Method} {(pattern is null ? TerminalText.Bound(context.Request.Path.Value, 200) + " (no route)" : "/" + pattern.TrimStart('/'))}";
        var target = TerminalText.Bound(string.Join(' ', context.Request.RouteValues.Select(v => $"{v.Key}={v.Value}")), MaxTargetLength);
        try
        {
            await store.AppendAuditAsync(new AuditEntry(0, time.GetUtcNow(), actor, action, target, status), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.AuditFailed(logger, TerminalText.Safe(actor), TerminalText.Safe(action), status, TerminalText.Safe(e.Message));
        }
    }
}
