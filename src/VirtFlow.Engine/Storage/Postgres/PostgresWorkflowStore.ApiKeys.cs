using Npgsql;
using VirtFlow.Engine.Storage.Api;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore : IApiKeyStore
{
    private const string ApiKeyColumns = "id, name, role, hash, created_at, expires_at, revoked_at";

    /// <inheritdoc />
    public async Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await ExecuteAsync($"INSERT INTO api_keys ({ApiKeyColumns}) VALUES (@id, @name, @role, @hash, @created, @expires, @revoked)", ct,
                P.Text("id", key.Id), P.Text("name", key.Name), P.Text("role", key.Role), P.Text("hash", key.Hash),
                P.Time("created", OrNow(key.CreatedAt)), P.Time("expires", key.ExpiresAt), P.Time("revoked", key.RevokedAt));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "ux_api_keys_active_name")
        {
            throw ApiKeyNameTakenException.For(key.Name);
        }
    }

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> FindApiKeyByHashAsync(string hash, CancellationToken ct = default) =>
        await QueryAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE hash = @hash", ReadApiKey, ct, P.Text("hash", hash)) is [var key] ? key : null;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default) =>
        await QueryAsync($"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id", ReadApiKey, ct);

    /// <inheritdoc />
    public async Task<ApiKeyRecord?> RevokeApiKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        return await QueryAsync($"""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @at)
            WHERE id = @key OR (name = @key AND revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM api_keys WHERE id = @key))
            RETURNING {ApiKeyColumns}
            """, ReadApiKey, ct, P.Text("key", nameOrId), P.Time("at", at)) is [var key] ? key : null;
    }

    private static ApiKeyRecord ReadApiKey(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetTime(4), r.GetTimeOrNull(5), r.GetTimeOrNull(6));
}
