using Microsoft.Data.Sqlite;
using VirtFlow.Engine.Runtime;

namespace VirtFlow.Engine.Storage.Sqlite;

// Locks (WorkflowInstance.LockKey): the unique partial index ux_instances_lock (migration 6) allows one Running or
// Suspended instance per key, so two engines on one file cannot both hold it; a final status leaves the index.
public sealed partial class SqliteWorkflowStore : IInstanceLockStore
{
    private const string HolderSql = "SELECT id FROM instances WHERE lock_key = $key AND status IN ('running', 'suspended') AND id <> $id LIMIT 1";

    /// <inheritdoc />
    public Task<string?> FindLockHolderAsync(string lockKey, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(lockKey);
        return Task.FromResult(Read(connection => Holder(connection, lockKey, "")));
    }

    /// <summary>
    /// Runs the instance's INSERT or UPDATE; a second holder of its lock key (the unique index refuses it, the statement
    /// alone is rolled back) becomes <see cref="WorkflowLockedException"/> naming the holder.
    /// </summary>
    private static int SaveInstance(SqliteConnection connection, SqliteCommand save, PreparedCommit commit)
    {
        try
        {
            return save.ExecuteNonQuery();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("lock_key", StringComparison.Ordinal))
        {
            var key = save.Parameters["$lock_key"].Value as string ?? StoredKey(connection, commit.InstanceId);
            throw new WorkflowLockedException(key, Holder(connection, key, commit.InstanceId) ?? "(one that has just ended)", commit.InstanceId);
        }
    }

    private static string StoredKey(SqliteConnection connection, string id)
    {
        using var command = SqliteCommands.Create(connection, "SELECT lock_key FROM instances WHERE id = $id", ("$id", id));
        return command.ExecuteScalar() as string ?? "";
    }

    private static string? Holder(SqliteConnection connection, string key, string exceptId)
    {
        using var command = SqliteCommands.Create(connection, HolderSql, ("$key", key), ("$id", exceptId));
        return command.ExecuteScalar() as string;
    }
}
