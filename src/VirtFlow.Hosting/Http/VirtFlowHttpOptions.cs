namespace VirtFlow.Hosting.Http;

/// <summary>The HTTP API of <c>virtflow server</c> (<see cref="Server.VirtFlowServerOptions.Http"/>).</summary>
public sealed class VirtFlowHttpOptions
{
    /// <summary>The default listening URL: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>The value of <see cref="Designer"/> that serves no designer.</summary>
    public const string Off = "off";

    /// <summary>Where Kestrel listens (<c>--http</c>, <c>VirtFlow:Server:Http</c>); port 0 picks a free port (see <see cref="Server.VirtFlowServer.HttpAddress"/>).</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>
    /// The largest request body, in bytes; a larger one gets 413. Default 4 MiB + 64 KiB: a workflow's YAML may be up to
    /// <c>VIRTFLOW_MAX_FILE_BYTES</c> (4 MiB) and a start's inputs up to <c>VIRTFLOW_MAX_INPUT_BYTES</c> (1 MiB), plus the JSON around them.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024 + 64 * 1024;

    /// <summary>The largest total size of a request's headers, in bytes. Default 32 KiB (Kestrel's default).</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>The most headers in a request. Default 64.</summary>
    public int MaxRequestHeaderCount { get; set; } = 64;

    /// <summary>
    /// How long a key looked up in the store is trusted before it is looked up again: a key revoked on another server
    /// is refused here at most this long after (the server that revokes it forgets it at once). Default 5 s.
    /// </summary>
    public TimeSpan KeyCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long an <c>Idempotency-Key</c> names its instance (<c>VirtFlow:Server:IdempotencyKeyLifetime</c>). Default 24 h;
    /// from 1 s to 30 days.
    /// </summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How often the server deletes expired idempotency keys from the store (up to 1,000 a round, rounds repeated
    /// while full). Default 10 minutes; from 1 s to 1 day.
    /// </summary>
    public TimeSpan IdempotencySweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The live stream's limits (<c>/api/stream</c>).</summary>
    public Stream.LiveStreamOptions Stream { get; set; } = new();

    /// <summary>
    /// The built designer served at <c>/</c> (<c>--designer DIR|off</c>, <c>VirtFlow:Server:Designer</c>): a folder with its
    /// index.html; null: <c>designer/</c> next to the binary (where the build copies it); <c>off</c>: none.
    /// </summary>
    public string? Designer { get; set; }

    /// <summary>OIDC/JWT bearer tokens beside the API keys; null: keys only.</summary>
    public JwtSettings? Jwt { get; set; }

    public void Validate()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"--http '{Url}' is not an http:// URL (e.g. {DefaultUrl})", nameof(Url));
        if (MaxRequestBodyBytes < 1024) throw new ArgumentException("the largest request body must be at least 1024 bytes", nameof(MaxRequestBodyBytes));
        if (MaxRequestHeadersBytes < 1024) throw new ArgumentException("the largest request headers must be at least 1024 bytes", nameof(MaxRequestHeadersBytes));
        if (MaxRequestHeaderCount < 8) throw new ArgumentException("at least 8 request headers must be allowed", nameof(MaxRequestHeaderCount));
        if (KeyCacheTime < TimeSpan.Zero || KeyCacheTime > TimeSpan.FromMinutes(5))
            throw new ArgumentException("the key cache time must be between 0 and 5 minutes", nameof(KeyCacheTime));
        if (IdempotencyKeyLifetime < TimeSpan.FromSeconds(1) || IdempotencyKeyLifetime > TimeSpan.FromDays(30))
            throw new ArgumentException("the idempotency key lifetime must be between 1 s and 30 days", nameof(IdempotencyKeyLifetime));
        if (IdempotencySweepInterval < TimeSpan.FromSeconds(1) || IdempotencySweepInterval > TimeSpan.FromDays(1))
            throw new ArgumentException("the idempotency sweep interval must be between 1 s and 1 day", nameof(IdempotencySweepInterval));
        Jwt?.Validate();
        Stream.Validate();
    }
}
