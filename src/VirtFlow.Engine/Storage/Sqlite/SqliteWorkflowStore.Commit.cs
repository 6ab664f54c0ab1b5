using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string InsertInstanceSql = """
        INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, correlation_id,
            parent_instance_id, parent_step_path, input, output, fault, state, created_at, updated_at, lease_until, lease_owner)
        VALUES ($id, $workflow_name, $workflow_version, $definition_hash, $status, $version, $correlation_id,
            $parent_instance_id, $parent_step_path, $input, $output, $fault, $state, $created_at, $updated_at, $lease_until, $lease_owner)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateInstanceSql = """
        UPDATE instances SET workflow_name = $workflow_name, workflow_version = $workflow_version,
            definition_hash = $definition_hash, status = $status, version = $version, correlation_id = $correlation_id,
            parent_instance_id = $parent_instance_id, parent_step_path = $parent_step_path, input = $input, output = $output,
            fault = $fault, state = $state, created_at = $created_at, updated_at = $updated_at, lease_until = $lease_until,
            lease_owner = $lease_owner
        WHERE id = $id AND version = $expected
        """;

    private const string UpsertBookmarkSql = """
        INSERT INTO bookmarks (id, instance_id, step_path, name, key, due_at, data, created_at)
        VALUES ($id, $instance_id, $step_path, $name, $key, $due_at, $data, $created_at)
        ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, step_path = excluded.step_path,
            name = excluded.name, key = excluded.key, due_at = excluded.due_at, data = excluded.data, created_at = excluded.created_at
        """;

    private const string InsertOutboxSql = """
        INSERT INTO outbox (id, instance_id, destination, message_type, payload, created_at, attempts, dispatched_at, last_error)
        VALUES ($id, $instance_id, $destination, $message_type, $payload, $created_at, $attempts, $dispatched_at, $last_error)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string InsertJournalSql = """
        INSERT INTO journal (instance_id, at, step_path, kind, message, data)
        VALUES ($instance_id, $at, $step_path, $kind, $message, $data)
        """;

    private const string ConsumeInboxSql = "UPDATE inbox SET consumed_at = $now WHERE id = $id AND consumed_at IS NULL";

    /// <inheritdoc />
    public Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        CommitValidation.Validate(commit);
        return WriteAsync(connection => Commit(connection, commit), ct);
    }

    private long Commit(SqliteConnection connection, InstanceCommit commit)
    {
        var now = NowMs;
        var instance = commit.Instance;
        var version = commit.ExpectedVersion + 1;
        using (var save = SqliteCommands.Create(connection, commit.ExpectedVersion == 0 ? InsertInstanceSql : UpdateInstanceSql,
            ("$id", instance.Id),
            ("$workflow_name", instance.WorkflowName),
            ("$workflow_version", instance.WorkflowVersion),
            ("$definition_hash", instance.DefinitionHash),
            ("$status", InstanceStatusText.From(instance.Status)),
            ("$version", version),
            ("$correlation_id", instance.CorrelationId),
            ("$parent_instance_id", instance.ParentInstanceId),
            ("$parent_step_path", instance.ParentStepPath),
            ("$input", StoreJson.Write(instance.Input)),
            ("$output", StoreJson.WriteOrNull(instance.Output)),
            ("$fault", instance.Fault),
            ("$state", StoreJson.Write(instance.State)),
            ("$created_at", MsOrNow(instance.CreatedAt)),
            ("$updated_at", MsOrNow(instance.UpdatedAt)),
            ("$lease_until", StoreTime.ToUnixMs(instance.LeaseUntil)),
            ("$lease_owner", instance.LeaseOwner)))
        {
            if (commit.ExpectedVersion != 0) save.Parameters.AddWithValue("$expected", commit.ExpectedVersion);
            if (save.ExecuteNonQuery() == 0) throw new ConcurrencyException(instance.Id, commit.ExpectedVersion);
        }

        if (commit.ReplaceBookmarks)
            SqliteCommands.Execute(connection, "DELETE FROM bookmarks WHERE instance_id = $id", ("$id", instance.Id));
        if (commit.Bookmarks.Count > 0)
        {
            using var insert = SqliteCommands.Create(connection, UpsertBookmarkSql);
            foreach (var b in commit.Bookmarks)
            {
                SqliteCommands.Set(insert, "$id", b.Id);
                SqliteCommands.Set(insert, "$instance_id", b.InstanceId);
                SqliteCommands.Set(insert, "$step_path", b.StepPath);
                SqliteCommands.Set(insert, "$name", b.Name);
                SqliteCommands.Set(insert, "$key", b.Key);
                SqliteCommands.Set(insert, "$due_at", StoreTime.ToUnixMs(b.DueAt));
                SqliteCommands.Set(insert, "$data", StoreJson.WriteOrNull(b.Data));
                SqliteCommands.Set(insert, "$created_at", b.CreatedAt == default ? now : StoreTime.ToUnixMs(b.CreatedAt));
                insert.ExecuteNonQuery();
            }
        }

        if (commit.Outbox.Count > 0)
        {
            using var insert = SqliteCommands.Create(connection, InsertOutboxSql);
            foreach (var m in commit.Outbox)
            {
                SqliteCommands.Set(insert, "$id", m.Id);
                SqliteCommands.Set(insert, "$instance_id", m.InstanceId);
                SqliteCommands.Set(insert, "$destination", m.Destination);
                SqliteCommands.Set(insert, "$message_type", m.MessageType);
                SqliteCommands.Set(insert, "$payload", StoreJson.Write(m.Payload));
                SqliteCommands.Set(insert, "$created_at", m.CreatedAt == default ? now : StoreTime.ToUnixMs(m.CreatedAt));
                SqliteCommands.Set(insert, "$attempts", m.Attempts);
                SqliteCommands.Set(insert, "$dispatched_at", StoreTime.ToUnixMs(m.DispatchedAt));
                SqliteCommands.Set(insert, "$last_error", m.LastError);
                insert.ExecuteNonQuery();
            }
        }

        if (commit.Journal.Count > 0)
        {
            using var insert = SqliteCommands.Create(connection, InsertJournalSql);
            foreach (var j in commit.Journal)
            {
                SqliteCommands.Set(insert, "$instance_id", j.InstanceId);
                SqliteCommands.Set(insert, "$at", j.At == default ? now : StoreTime.ToUnixMs(j.At));
                SqliteCommands.Set(insert, "$step_path", j.StepPath);
                SqliteCommands.Set(insert, "$kind", j.Kind);
                SqliteCommands.Set(insert, "$message", j.Message);
                SqliteCommands.Set(insert, "$data", StoreJson.WriteOrNull(j.Data));
                insert.ExecuteNonQuery();
            }
        }

        if (commit.ConsumedInboxEventIds.Count > 0)
        {
            using var consume = SqliteCommands.Create(connection, ConsumeInboxSql, ("$now", now));
            foreach (var id in commit.ConsumedInboxEventIds)
            {
                SqliteCommands.Set(consume, "$id", id);
                consume.ExecuteNonQuery();
            }
        }
        return version;
    }
}
