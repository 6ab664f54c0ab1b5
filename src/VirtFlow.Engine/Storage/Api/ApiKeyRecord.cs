namespace VirtFlow.Engine.Storage.Api;

/// <summary>An API key as stored: never the key itself.</summary>
/// <param name="Id">Random, for revoking and audit.</param>
/// <param name="Name">Who or what holds it (unique among keys not revoked); audit entries name it.</param>
/// <param name="Role"><c>viewer</c>, <c>operator</c> or <c>admin</c>.</param>
/// <param name="Hash">SHA-256 of the key, lower-case hex.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="ExpiresAt">After this it is refused; null: never.</param>
/// <param name="RevokedAt">When it was revoked; null: it is not.</param>
public sealed record ApiKeyRecord(string Id, string Name, string Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt)
{
    /// <summary>Whether it may be used at <paramref name="now"/>.</summary>
    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } e || now < e);
}
