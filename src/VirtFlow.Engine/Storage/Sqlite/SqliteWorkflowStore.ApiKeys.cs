using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Storage.Api;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore : IApiKeyStore
{
    private const string ApiKeyColumns = "id, name, role, hash, created_at, expires_at, revoked_at";

    /// <inheritdoc />
    public Task CreateApiKeyAsync(ApiKeyRecord key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(connection =>
        {
            try
            {
                return SqliteCommands.Execute(connection, $"INSERT INTO api_keys ({ApiKeyColumns}) VALUES ($id, $name, $role, $hash, $created, $expires, $revoked)",
                    ("$id", key.Id), ("$name", key.Name), ("$role", key.Role), ("$hash", key.Hash), ("$created", MsOrNow(key.CreatedAt)),
                    ("$expires", StoreTime.ToUnixMs(key.ExpiresAt)), ("$revoked", StoreTime.ToUnixMs(key.RevokedAt)));
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("api_keys.name", StringComparison.Ordinal))
            {
                throw ApiKeyNameTakenException.For(key.Name);
            }
        }, ct);
    }

    /// <inheritdoc />
    public Task<ApiKeyRecord?> FindApiKeyByHashAsync(string hash, CancellationToken ct = default) =>
        Task.FromResult(Read(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"SELECT {ApiKeyColumns} FROM api_keys WHERE hash = $hash", ("$hash", hash));
            return ReadAll(command, ReadApiKey) is [var key] ? key : null;
        }));

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken ct = default) =>
        Task.FromResult(Read<IReadOnlyList<ApiKeyRecord>>(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"SELECT {ApiKeyColumns} FROM api_keys ORDER BY created_at, id");
            return ReadAll(command, ReadApiKey);
        }));

    /// <inheritdoc />
    public Task<ApiKeyRecord?> RevokeApiKeyAsync(string nameOrId, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrId);
        return WriteAsync(connection =>
        {
            using var command = SqliteCommands.Create(connection, $"""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $at)
                WHERE id = $key OR (name = $key AND revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM api_keys WHERE id = $key))
                RETURNING {ApiKeyColumns}
                """, ("$key", nameOrId), ("$at", StoreTime.ToUnixMs(at)));
            return ReadAll(command, ReadApiKey) is [var key] ? key : null;
        }, ct);
    }

    private static ApiKeyRecord ReadApiKey(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetTime(4), r.GetTimeOrNull(5), r.GetTimeOrNull(6));
}
