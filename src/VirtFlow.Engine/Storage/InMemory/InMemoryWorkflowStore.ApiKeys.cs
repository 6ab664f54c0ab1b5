using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Engine.Storage.InMemory;

public sealed partial class InMemoryWorkflowStore : IApiKeyStore
{
    private readonly List<ApiKeyRecord> _apiKeys = [];

    /// <inheritdoc />
    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = Now;
        lock (_gate)
        {
            if (key.RevokedAt is null && _apiKeys.Exists(k => k.Name == key.Name && k.RevokedAt is null)) throw ApiKeyNameTakenException.For(key.Name);
            if (_apiKeys.Exists(k => k.Id == key.Id || k.Hash == key.Hash)) throw new InvalidOperationException($"a key with id {key.Id} or that hash exists");
            _apiKeys.Add(key with
            {
                CreatedAt = key.CreatedAt == default ? now : StoreTime.Normalize(key.CreatedAt),
                ExpiresAt = StoreTime.Normalize(key.ExpiresAt),
                RevokedAt = StoreTime.Normalize(key.RevokedAt),
            });
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string hash, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_apiKeys.Find(k => k.Hash == hash));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _apiKeys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)]);
    }

    /// <inheritdoc />
    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        lock (_gate)
        {
            var index = _apiKeys.FindIndex(k => k.Id == nameOrId);
            if (index < 0) index = _apiKeys.FindIndex(k => k.Name == nameOrId && k.RevokedAt is null);
            if (index < 0) return Task.FromResult<ApiKeyRecord?>(null);
            var key = _apiKeys[index];
            _apiKeys[index] = key = key with { RevokedAt = key.RevokedAt ?? StoreTime.Normalize(at) };
            return Task.FromResult<ApiKeyRecord?>(key);
        }
    }
}
