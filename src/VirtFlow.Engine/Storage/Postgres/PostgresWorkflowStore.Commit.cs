using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    private const string InsertInstanceSql = """
        INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, correlation_id,
            parent_instance_id, parent_step_path, input, output, fault, state, created_at, updated_at, lease_until, lease_owner, lock_key)
        VALUES (@id, @workflow_name, @workflow_version, @definition_hash, @status, @version, @correlation_id,
            @parent_instance_id, @parent_step_path, @input, @output, @fault, @state, @created_at, @updated_at, @lease_until, @lease_owner, @lock_key)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateInstanceSql = """
        UPDATE instances SET workflow_name = @workflow_name, workflow_version = @workflow_version,
            definition_hash = @definition_hash, status = @status, version = @version, correlation_id = @correlation_id,
            parent_instance_id = @parent_instance_id, parent_step_path = @parent_step_path, input = @input, output = @output,
            fault = @fault, state = @state, created_at = @created_at, updated_at = @updated_at, lease_until = @lease_until,
            lease_owner = @lease_owner, lock_key = COALESCE(@lock_key, lock_key)
        WHERE id = @id AND version = @expected
        """;

    private const string UpsertBookmarkSql = """
        INSERT INTO bookmarks (id, instance_id, step_path, name, key, due_at, data, created_at)
        VALUES (@id, @instance_id, @step_path, @name, @key, @due_at, @data, @created_at)
        ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, step_path = excluded.step_path,
            name = excluded.name, key = excluded.key, due_at = excluded.due_at, data = excluded.data, created_at = excluded.created_at
        """;

    private const string InsertOutboxSql = """
        INSERT INTO outbox (id, instance_id, destination, message_type, payload, created_at, attempts, dispatched_at, last_error)
        VALUES (@id, @instance_id, @destination, @message_type, @payload, @created_at, @attempts, @dispatched_at, @last_error)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string InsertJournalSql = """
        INSERT INTO journal (instance_id, at, step_path, kind, message, data)
        VALUES (@instance_id, @at, @step_path, @kind, @message, @data)
        """;

    /// <summary>
    /// Sends the whole commit as one batch in one transaction. The first statement is the version-checked
    /// UPDATE (or the INSERT for version 0): when it touches no row the transaction is rolled back, so a losing
    /// writer leaves no bookmark, outbox, journal or inbox change behind.
    /// </summary>
    public async Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        CommitValidation.Validate(commit);
        var now = Now;
        var instance = commit.Instance;
        var version = commit.ExpectedVersion + 1;

        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, tx);

        var save = Add(batch, commit.ExpectedVersion == 0 ? InsertInstanceSql : UpdateInstanceSql,
            P.Text("id", instance.Id),
            P.Text("workflow_name", instance.WorkflowName),
            P.Int("workflow_version", instance.WorkflowVersion),
            P.Text("definition_hash", instance.DefinitionHash),
            P.Text("status", InstanceStatusText.From(instance.Status)),
            P.Long("version", version),
            P.Text("correlation_id", instance.CorrelationId),
            P.Text("parent_instance_id", instance.ParentInstanceId),
            P.Text("parent_step_path", instance.ParentStepPath),
            P.Json("input", StoreJson.Write(instance.Input)),
            P.Json("output", StoreJson.WriteOrNull(instance.Output)),
            P.Text("fault", instance.Fault),
            P.Time("created_at", OrNow(instance.CreatedAt)),
            P.Time("updated_at", OrNow(instance.UpdatedAt)),
            P.Time("lease_until", instance.LeaseUntil),
            P.Text("lease_owner", instance.LeaseOwner),
            P.Text("lock_key", instance.LockKey));
        if (commit.ExpectedVersion != 0) save.Parameters.Add(P.Long("expected", commit.ExpectedVersion));
        var state = P.Json("state", AddSteps(batch, commit));
        save.Parameters.Add(state);

        if (commit.ReplaceBookmarks)
            Add(batch, "DELETE FROM bookmarks WHERE instance_id = @id", P.Text("id", instance.Id));
        foreach (var b in commit.Bookmarks)
        {
            Add(batch, UpsertBookmarkSql,
                P.Text("id", b.Id), P.Text("instance_id", b.InstanceId), P.Text("step_path", b.StepPath), P.Text("name", b.Name),
                P.Text("key", b.Key), P.Time("due_at", b.DueAt), P.Json("data", StoreJson.WriteOrNull(b.Data)),
                P.Time("created_at", b.CreatedAt == default ? now : b.CreatedAt));
        }
        foreach (var m in commit.Outbox)
        {
            Add(batch, InsertOutboxSql,
                P.Text("id", m.Id), P.Text("instance_id", m.InstanceId), P.Text("destination", m.Destination),
                P.Text("message_type", m.MessageType), P.Json("payload", StoreJson.Write(m.Payload)),
                P.Time("created_at", m.CreatedAt == default ? now : m.CreatedAt), P.Int("attempts", m.Attempts),
                P.Time("dispatched_at", m.DispatchedAt), P.Text("last_error", m.LastError));
        }
        foreach (var j in commit.Journal)
        {
            Add(batch, InsertJournalSql,
                P.Text("instance_id", j.InstanceId), P.Time("at", j.At == default ? now : j.At), P.Text("step_path", j.StepPath),
                P.Text("kind", j.Kind), P.Text("message", j.Message), P.Json("data", StoreJson.WriteOrNull(j.Data)));
        }
        if (commit.ConsumedInboxEventIds.Count > 0)
        {
            Add(batch, "UPDATE inbox SET consumed_at = @now WHERE id = ANY(@ids) AND consumed_at IS NULL",
                P.Time("now", now), P.TextArray("ids", commit.ConsumedInboxEventIds));
        }

        try
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (IsLockConflict(e))
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw await LockedAsync(connection, instance, ct);
        }
        if (save.RecordsAffected == 0)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new ConcurrencyException(instance.Id, commit.ExpectedVersion);
        }
        await tx.CommitAsync(ct);
        return version;
    }

    private static NpgsqlBatchCommand Add(NpgsqlBatch batch, string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        batch.BatchCommands.Add(command);
        return command;
    }
}
