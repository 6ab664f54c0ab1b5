namespace VirtFlow.Hosting.Http;

/// <summary>
/// OIDC/JWT bearer tokens (configuration <c>VirtFlow:Server:Jwt</c>): either an <see cref="Authority"/> (its discovery
/// document gives the signing keys) or a <see cref="SigningKey"/> (HS256, for tests and closed setups), and how a claim
/// maps to a role.
/// </summary>
public sealed class JwtSettings
{
    /// <summary>The issuer's URL (OIDC discovery); null with <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>aud</c>. Required.</summary>
    public string? Audience { get; set; }

    /// <summary>The expected <c>iss</c> (with <see cref="SigningKey"/>; with an authority, the discovery document's).</summary>
    public string? Issuer { get; set; }

    /// <summary>A symmetric key (at least 32 bytes of UTF-8) that signs the tokens; null with <see cref="Authority"/>.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that holds the caller's groups or roles. Default <c>roles</c>.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>
    /// A claim value → a VirtFlow role (<c>viewer</c>, <c>operator</c>, <c>admin</c>), e.g. <c>"vf-admins": "admin"</c>.
    /// Values not listed give no role; a value that is a role's own name maps to it.
    /// </summary>
    public Dictionary<string, string> RoleMapping { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether the authority may be plain http (development only). Default false.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Audience)) throw new ArgumentException("VirtFlow:Server:Jwt:Audience is required", nameof(Audience));
        if (string.IsNullOrWhiteSpace(Authority) == string.IsNullOrWhiteSpace(SigningKey))
            throw new ArgumentException("VirtFlow:Server:Jwt needs either Authority or SigningKey (not both)", nameof(Authority));
        if (SigningKey is { } key && System.Text.Encoding.UTF8.GetByteCount(key) < 32)
            throw new ArgumentException("VirtFlow:Server:Jwt:SigningKey must be at least 32 bytes", nameof(SigningKey));
        if (string.IsNullOrWhiteSpace(RoleClaim)) throw new ArgumentException("VirtFlow:Server:Jwt:RoleClaim must not be empty", nameof(RoleClaim));
        foreach (var (claim, role) in RoleMapping)
            if (!Auth.ApiRoles.IsRole(role))
                throw new ArgumentException($"VirtFlow:Server:Jwt:RoleMapping:{claim}: '{role}' is not a role (viewer, operator, admin)", nameof(RoleMapping));
    }
}
