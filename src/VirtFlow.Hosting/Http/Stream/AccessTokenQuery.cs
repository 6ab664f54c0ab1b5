using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace VirtFlow.Hosting.Http.Stream;

/// <summary>
/// A browser's EventSource cannot set headers: on the stream paths only, <c>?access_token=KEY</c> (an API key or a JWT)
/// becomes <c>Authorization: Bearer KEY</c> before authentication, and is taken out of the query so nothing after
/// (logs, problem details, the audit) ever sees it. A header, when present, wins.
/// </summary>
internal sealed class AccessTokenQuery(RequestDelegate next)
{
    public const string Parameter = "access_token";

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Query.TryGetValue(Parameter, out var token))
        {
            var query = new QueryBuilder(request.Query.Where(q => q.Key != Parameter).SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v ?? ""))));
            request.QueryString = query.ToQueryString();
            if (IsStream(request.Path) && token is [{ Length: > 0 } key]
                && request.Headers.Authorization.Count == 0 && request.Headers[Auth.ApiKeyAuthenticationHandler.Header].Count == 0)
                request.Headers.Authorization = "Bearer " + key;
        }
        return next(context);
    }

    /// <summary><c>/api/stream</c> and <c>/api/instances/{id}/stream</c>.</summary>
    private static bool IsStream(PathString path) =>
        path.Value is { } p && (p == "/api/stream" || (p.StartsWith("/api/instances/", StringComparison.Ordinal) && p.EndsWith("/stream", StringComparison.Ordinal)));
}
