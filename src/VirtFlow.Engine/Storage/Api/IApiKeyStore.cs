namespace VirtFlow.Engine.Storage.Api;

/// <summary>
/// The HTTP API's keys, kept hashed: the store never sees a key, only its SHA-256 (hex). Implemented by the SQLite,
/// PostgreSQL and in-memory stores (migration 3). A name is unique among the keys not revoked.
/// </summary>
public interface IApiKeyStore
{
    /// <summary>Adds a key.</summary>
    /// <exception cref="ApiKeyNameTakenException">A key of that name exists and is not revoked.</exception>
    Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default);

    /// <summary>The key with that hash (revoked and expired ones too: the caller decides), or null.</summary>
    Task<ApiKeyRecord?> FindApiKeyByHashAsync(string hash, CancellationToken ct = default);

    /// <summary>Every key (revoked ones too), oldest first.</summary>
    Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default);

    /// <summary>Revokes the key with id <paramref name="nameOrId"/>, else the one not revoked of that name; the revoked key, or null when none matched.</summary>
    Task<ApiKeyRecord?> RevokeApiKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken ct = default);
}
