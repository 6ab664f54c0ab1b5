using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VirtFlow.Engine.Storage;
using VirtFlow.Hosting.Http.Auth;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// The live stream as server-sent events: <c>GET /api/stream</c> (all instances, from now on) and
/// <c>GET /api/instances/{id}/stream</c> (one instance, from its start). Each event's <c>id:</c> is the store's journal
/// sequence; a client that reconnects with <c>Last-Event-ID</c> (or <c>?after=</c>) gets everything after it, nothing
/// twice, on any server sharing the store. Viewer role; the key in a header, or <c>?access_token=</c> for a browser's
/// EventSource (<see cref="AccessTokenQuery"/>).
/// </summary>
public static class StreamEndpoints
{
    public static IEndpointRouteBuilder MapStreamEndpoints(this IEndpointRouteBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/stream", (HttpContext context, long? after, LiveFeed feed, LiveStreamOptions options, CancellationToken ct) =>
                StreamAsync(context, null, after, feed, options, ct))
            .RequireAuthorization(ApiRoles.Viewer).WithTags("Stream").WithName("StreamAll")
            .WithSummary("Live updates of all instances (server-sent events; resume with Last-Event-ID or ?after=)")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        api.MapGet("/instances/{id}/stream", async (HttpContext context, string id, long? after, LiveFeed feed, LiveStreamOptions options, IWorkflowStore store, CancellationToken ct) =>
            {
                if (await store.GetInstanceAsync(id, ct).ConfigureAwait(false) is null)
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not Found", detail: $"no instance '{Texts.Bounded(id)}'");
                return await StreamAsync(context, id, after ?? 0, feed, options, ct).ConfigureAwait(false);
            })
            .RequireAuthorization(ApiRoles.Viewer).WithTags("Stream").WithName("StreamInstance")
            .WithSummary("Live updates of one instance from its start (server-sent events; resume with Last-Event-ID or ?after=); ends after the instance ends")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> StreamAsync(HttpContext context, string? instanceId, long? after, LiveFeed feed, LiveStreamOptions options, CancellationToken ct)
    {
        if (LastEventId(context.Request) is { } resume) after = resume;
        else if (context.Request.Headers.ContainsKey("Last-Event-ID"))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: "Last-Event-ID must be a journal sequence (a whole number)");
        if (after < 0) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: "after must be 0 or more");
        var subscription = await feed.SubscribeAsync(instanceId, ct).ConfigureAwait(false);
        if (subscription is null)
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service Unavailable",
                detail: $"{options.MaxClients} live streams are open on this server (VirtFlow:Server:Stream:MaxClients)");
        using (subscription)
        {
            var writer = new LiveStreamWriter(context, feed, subscription, options, instanceId);
            await writer.RunAsync(after ?? subscription.Position, ct).ConfigureAwait(false);
        }
        return Results.Empty;
    }

    private static long? LastEventId(HttpRequest request) =>
        request.Headers["Last-Event-ID"] is [{ } text] && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;
}
