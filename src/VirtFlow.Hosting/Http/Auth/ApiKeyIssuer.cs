using VirtFlow.Engine.Storage;
using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>Creates, lists and revokes keys in a store (used by <c>virtflow keys</c>, <c>/api/keys</c> and the tests).</summary>
public static class ApiKeyIssuer
{
    /// <summary>The longest key name.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Creates a key; returns it (shown once, never stored) and its record.</summary>
    /// <exception cref="ArgumentException">A bad name, role or expiry, naming it (<c>name</c>, <c>role</c>, <c>expires</c>).</exception>
    /// <exception cref="ApiKeyNameTakenException">A key of that name is not revoked.</exception>
    public static async Task<(string Key, ApiKeyRecord Record)> CreateAsync(IApiKeyStore store, string? name, string? role, DateTimeOffset? expiresAt,
        TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        CheckName(name);
        if (!ApiRoles.IsRole(role)) throw new ArgumentException($"'{role}' is not a role: viewer, operator or admin", "role");
        var now = time.GetUtcNow();
        if (expiresAt is { } e && e <= now) throw new ArgumentException("the expiry must be in the future", "expires");
        var key = ApiKeySecrets.NewKey();
        var record = new ApiKeyRecord(ApiKeySecrets.NewId(), name!, role!, ApiKeySecrets.Hash(key), now, expiresAt, null);
        await store.CreateApiKeyAsync(record, ct).ConfigureAwait(false);
        return (key, record);
    }

    /// <summary>The store's key capability.</summary>
    /// <exception cref="ArgumentException">The store keeps no keys.</exception>
    public static IApiKeyStore KeysOf(IWorkflowStore store) =>
        store as IApiKeyStore ?? throw new ArgumentException($"the store {store.GetType().Name} keeps no API keys", nameof(store));

    private static void CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a key needs a name", "name");
        if (name.Length > MaxNameLength) throw new ArgumentException($"a key's name is at most {MaxNameLength} characters", "name");
        if (name.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            throw new ArgumentException("a key's name has no spaces or control characters", "name");
    }
}
