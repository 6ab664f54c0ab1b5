using Microsoft.AspNetCore.Http;

namespace VirtFlow.Hosting.Http.Designer;

/// <summary>
/// The headers of every designer file. The content security policy allows scripts only from this server (no inline
/// script, no eval, no CDN): the designer's bundle loads Monaco from its own files (not from a CDN) and starts Monaco's
/// workers from its own files too (<c>worker-src 'self' blob:</c>; blob: for the worker bootstrap Monaco may build).
/// Styles allow <c>'unsafe-inline'</c>: Monaco and React Flow set element styles and inject style elements at run time
/// (cursor, decorations, node positions); inline style cannot run code. Connections only to this server (the API and its
/// live stream); images from itself, data: and blob: (icons, exported files); fonts from itself and data: (Monaco's
/// codicon font may be inlined by the bundler). No framing, no plugins, no base-URI change, forms only to itself.
/// </summary>
public static class DesignerHeaders
{
    /// <summary>The content security policy of the designer's pages.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
        "form-action 'self'; frame-ancestors 'none'";

    /// <summary>Files under this folder carry a content hash in their names (the bundler's output): cached for a year.</summary>
    public const string HashedFolder = "/assets/";

    /// <summary>Cache-Control of a hashed file: a new build has new names, so it never changes.</summary>
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    /// <summary>Cache-Control of every other file (index.html): asked again each time (with its ETag), so a new build is seen at once.</summary>
    public const string RevalidateCache = "no-cache";

    /// <summary>Sets the security headers on <paramref name="response"/>.</summary>
    public static void ApplySecurity(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
    }

    /// <summary>Sets Cache-Control for the file at <paramref name="path"/> (the request path).</summary>
    public static void ApplyCaching(HttpResponse response, string path)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = path.StartsWith(HashedFolder, StringComparison.Ordinal) ? ImmutableCache : RevalidateCache;
    }
}
