using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string InsertInstanceSql = """
        INSERT INTO instances (id, workflow_name, workflow_version, definition_hash, status, version, correlation_id,
            parent_instance_id, parent_step_path, input, output, fault, state, created_at, updated_at, lease_until, lease_owner, lock_key)
        VALUES ($id, $workflow_name, $workflow_version, $definition_hash, $status, $version, $correlation_id,
            $parent_instance_id, $parent_step_path, $input, $output, $fault, $state, $created_at, $updated_at, $lease_until, $lease_owner, $lock_key)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string UpdateInstanceSql = """
        UPDATE instances SET workflow_name = $workflow_name, workflow_version = $workflow_version,
            definition_hash = $definition_hash, status = $status, version = $version, correlation_id = $correlation_id,
            parent_instance_id = $parent_instance_id, parent_step_path = $parent_step_path, input = $input, output = $output,
            fault = $fault, state = $state, created_at = $created_at, updated_at = $updated_at, lease_until = $lease_until,
            lease_owner = $lease_owner, lock_key = COALESCE($lock_key, lock_key)
        WHERE id = $id AND version = $expected
        """;

    private const string DeleteBookmarksSql = "DELETE FROM bookmarks WHERE instance_id = $id";

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

    private static readonly string[] InstanceParameters =
    [
        "$id", "$workflow_name", "$workflow_version", "$definition_hash", "$status", "$version", "$correlation_id",
        "$parent_instance_id", "$parent_step_path", "$input", "$output", "$fault", "$state", "$created_at", "$updated_at",
        "$lease_until", "$lease_owner", "$lock_key",
    ];

    private static readonly string[] BookmarkParameters = ["$id", "$instance_id", "$step_path", "$name", "$key", "$due_at", "$data", "$created_at"];

    private static readonly string[] OutboxParameters =
        ["$id", "$instance_id", "$destination", "$message_type", "$payload", "$created_at", "$attempts", "$dispatched_at", "$last_error"];

    private static readonly string[] JournalParameters = ["$instance_id", "$at", "$step_path", "$kind", "$message", "$data"];

    /// <inheritdoc />
    /// <remarks>
    /// The rows are built (JSON written) before taking the write lock; commits that arrive while another batch
    /// is being written are written together in one transaction (group commit), each in its own savepoint, so
    /// one that fails (a concurrency conflict) is rolled back alone and the others still commit.
    /// </remarks>
    public Task<long> CommitAsync(InstanceCommit commit, CancellationToken ct = default)
    {
        CommitValidation.Validate(commit);
        ct.ThrowIfCancellationRequested();
        return _commits.SubmitAsync(PrepareCommit(commit), ct);
    }

    /// <summary>Every value the commit writes, computed outside the write lock.</summary>
    private PreparedCommit PrepareCommit(InstanceCommit commit)
    {
        var now = NowMs;
        var instance = commit.Instance;
        var version = commit.ExpectedVersion + 1;
        var state = PrepareState(commit);
        object?[] instanceRow =
        [
            instance.Id,
            instance.WorkflowName,
            instance.WorkflowVersion,
            instance.DefinitionHash,
            InstanceStatusText.From(instance.Status),
            version,
            instance.CorrelationId,
            instance.ParentInstanceId,
            instance.ParentStepPath,
            StoreJson.Write(instance.Input),
            StoreJson.WriteOrNull(instance.Output),
            instance.Fault,
            state.Header,
            MsOrNow(instance.CreatedAt),
            MsOrNow(instance.UpdatedAt),
            StoreTime.ToUnixMs(instance.LeaseUntil),
            instance.LeaseOwner,
            instance.LockKey,
        ];

        var bookmarks = new object?[commit.Bookmarks.Count][];
        for (var i = 0; i < bookmarks.Length; i++)
        {
            var b = commit.Bookmarks[i];
            bookmarks[i] =
            [
                b.Id, b.InstanceId, b.StepPath, b.Name, b.Key, StoreTime.ToUnixMs(b.DueAt), StoreJson.WriteOrNull(b.Data),
                b.CreatedAt == default ? now : StoreTime.ToUnixMs(b.CreatedAt),
            ];
        }

        var outbox = new object?[commit.Outbox.Count][];
        for (var i = 0; i < outbox.Length; i++)
        {
            var m = commit.Outbox[i];
            outbox[i] =
            [
                m.Id, m.InstanceId, m.Destination, m.MessageType, StoreJson.Write(m.Payload),
                m.CreatedAt == default ? now : StoreTime.ToUnixMs(m.CreatedAt), m.Attempts, StoreTime.ToUnixMs(m.DispatchedAt), m.LastError,
            ];
        }

        var journal = new object?[commit.Journal.Count][];
        for (var i = 0; i < journal.Length; i++)
        {
            var j = commit.Journal[i];
            journal[i] = [j.InstanceId, j.At == default ? now : StoreTime.ToUnixMs(j.At), j.StepPath, j.Kind, j.Message, StoreJson.WriteOrNull(j.Data)];
        }

        return new PreparedCommit(instance.Id, commit.ExpectedVersion, version, instanceRow, state, commit.ReplaceBookmarks, bookmarks, outbox, journal,
            [.. commit.ConsumedInboxEventIds], now);
    }

    /// <summary>Writes one prepared commit on the writer connection, inside the caller's transaction.</summary>
    private long ApplyCommit(SqliteConnection connection, PreparedCommit commit)
    {
        var save = WriterCommand(connection, commit.ExpectedVersion == 0 ? InsertInstanceSql : UpdateInstanceSql);
        Bind(save, InstanceParameters, commit.InstanceRow);
        if (commit.ExpectedVersion != 0) SqliteCommands.Set(save, "$expected", commit.ExpectedVersion);
        if (SaveInstance(connection, save, commit) == 0) throw new ConcurrencyException(commit.InstanceId, commit.ExpectedVersion);
        WriteSteps(connection, commit.InstanceId, commit.State);

        if (commit.ReplaceBookmarks)
        {
            var delete = WriterCommand(connection, DeleteBookmarksSql);
            SqliteCommands.Set(delete, "$id", commit.InstanceId);
            delete.ExecuteNonQuery();
        }
        Insert(connection, UpsertBookmarkSql, BookmarkParameters, commit.Bookmarks);
        Insert(connection, InsertOutboxSql, OutboxParameters, commit.Outbox);
        Insert(connection, InsertJournalSql, JournalParameters, commit.Journal);

        if (commit.ConsumedInboxEventIds.Length > 0)
        {
            var consume = WriterCommand(connection, ConsumeInboxSql);
            SqliteCommands.Set(consume, "$now", commit.Now);
            foreach (var id in commit.ConsumedInboxEventIds)
            {
                SqliteCommands.Set(consume, "$id", id);
                consume.ExecuteNonQuery();
            }
        }
        return commit.Version;
    }

    private void Insert(SqliteConnection connection, string sql, string[] names, object?[][] rows)
    {
        if (rows.Length == 0) return;
        var insert = WriterCommand(connection, sql);
        foreach (var row in rows)
        {
            Bind(insert, names, row);
            insert.ExecuteNonQuery();
        }
    }

    private static void Bind(SqliteCommand command, string[] names, object?[] values)
    {
        for (var i = 0; i < names.Length; i++) SqliteCommands.Set(command, names[i], values[i]);
    }

    /// <summary>
    /// Writes a batch of commits in one <c>BEGIN IMMEDIATE</c> transaction (called under the write lock), each
    /// in a savepoint: a commit that throws is rolled back to its savepoint and fails alone. When the transaction
    /// itself cannot begin or commit, every commit of the batch fails with that error.
    /// </summary>
    private void WriteBatch(IReadOnlyList<CommitRequest> batch)
    {
        var connection = Writer();
        var done = new List<(CommitRequest Request, long Version)>(batch.Count);
        try
        {
            SqliteCommands.Execute(connection, "BEGIN IMMEDIATE");
        }
        catch (Exception ex)
        {
            DropWriterIfBroken(connection);
            foreach (var r in batch) r.Fail(ex);
            return;
        }

        try
        {
            foreach (var request in batch)
            {
                if (batch.Count == 1)
                {
                    done.Add((request, ApplyCommit(connection, request.Commit)));
                    continue;
                }
                WriterCommand(connection, "SAVEPOINT c").ExecuteNonQuery();
                try
                {
                    var version = ApplyCommit(connection, request.Commit);
                    WriterCommand(connection, "RELEASE c").ExecuteNonQuery();
                    done.Add((request, version));
                }
                catch (Exception ex)
                {
                    WriterCommand(connection, "ROLLBACK TO c").ExecuteNonQuery();
                    WriterCommand(connection, "RELEASE c").ExecuteNonQuery();
                    request.Fail(ex);
                }
            }
            SqliteCommands.Execute(connection, "COMMIT");
            Committed();
        }
        catch (Exception ex)
        {
            if (!TryRollback(connection)) DropWriter();
            foreach (var (request, _) in done) request.Fail(ex);
            foreach (var request in batch)
            {
                if (!request.IsCompleted) request.Fail(ex);
            }
            return;
        }
        foreach (var (request, version) in done) request.Succeed(version);
    }

    /// <summary>A commit's rows, ready to write.</summary>
    private sealed record PreparedCommit(
        string InstanceId,
        long ExpectedVersion,
        long Version,
        object?[] InstanceRow,
        PreparedState State,
        bool ReplaceBookmarks,
        object?[][] Bookmarks,
        object?[][] Outbox,
        object?[][] Journal,
        string[] ConsumedInboxEventIds,
        long Now);
}
