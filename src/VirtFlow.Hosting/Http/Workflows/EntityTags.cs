using Microsoft.AspNetCore.Http;

namespace VirtFlow.Hosting.Http.Workflows;

/// <summary>The catalog's ETags on the wire: strong, quoted (<c>"v3"</c>, <c>"d5f0…"</c>).</summary>
internal static class EntityTags
{
    /// <summary>The header value of an ETag.</summary>
    public static string Quote(string etag) => $"\"{etag}\"";

    /// <summary>Sets the response's <c>ETag</c>.</summary>
    public static void Set(HttpResponse response, string etag) => response.Headers.ETag = Quote(etag);

    /// <summary>
    /// The ETag of an <c>If-Match</c> header (quotes and a weak <c>W/</c> prefix removed; of several, the first), <c>*</c> for
    /// a wildcard, or null when there is none.
    /// </summary>
    public static string? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header)) return null;
        var first = header.Split(',', 2)[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal)) first = first[2..];
        return first.Trim('"');
    }

    /// <summary>Whether the request asks to create: <c>If-None-Match: *</c>.</summary>
    public static bool IfNoneMatchAny(HttpRequest request) => request.Headers.IfNoneMatch.ToString().Trim() == "*";
}
