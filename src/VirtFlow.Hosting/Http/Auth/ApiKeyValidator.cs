using System.Collections.Concurrent;
using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Hosting.Http.Auth;

/// <summary>
/// Finds the stored key of a presented one, by its hash, and says whether it may be used now. Lookups (found or not) are
/// kept for <see cref="VirtFlowHttpOptions.KeyCacheTime"/>: a revocation made on another server takes effect here
/// within that time; one made through this server (<see cref="Forget"/>) at once. Expiry is checked on every request.
/// </summary>
public sealed class ApiKeyValidator(IApiKeyStore store, TimeProvider time, VirtFlowHttpOptions options)
{
    private const int MaxCached = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Key, DateTimeOffset FetchedAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The record of <paramref name="key"/> when it exists, is not revoked and has not expired; else null.</summary>
    public async ValueTask<ApiKeyRecord?> FindValidAsync(string key, CancellationToken ct)
    {
        var hash = ApiKeySecrets.Hash(key);
        var now = time.GetUtcNow();
        ApiKeyRecord? record;
        if (_cache.TryGetValue(hash, out var cached) && now - cached.FetchedAt < options.KeyCacheTime)
        {
            record = cached.Key;
        }
        else
        {
            record = await store.FindApiKeyByHashAsync(hash, ct).ConfigureAwait(false);
            if (_cache.Count >= MaxCached) _cache.Clear();
            _cache[hash] = (record, now);
        }
        return record is not null && record.IsValidAt(now) ? record : null;
    }

    /// <summary>Drops every cached lookup (after a key was revoked or created through this server).</summary>
    public void Forget() => _cache.Clear();
}
