using Microsoft.Data.Sqlite;

namespace VirtFlow.Engine.Storage.Sqlite;

public sealed partial class SqliteWorkflowStore
{
    private const string UpsertStepSql = """
        INSERT INTO instance_steps (instance_id, path, state) VALUES ($instance_id, $path, $state)
        ON CONFLICT (instance_id, path) DO UPDATE SET state = excluded.state
        """;

    private const string DeleteStepSql = "DELETE FROM instance_steps WHERE instance_id = $instance_id AND path = $path";

    private const string DeleteStepsSql = "DELETE FROM instance_steps WHERE instance_id = $instance_id";

    /// <summary>The commit's state as text: the header for <c>instances.state</c>, and the rows it puts (text) or removes (null).</summary>
    private static PreparedState PrepareState(InstanceCommit commit)
    {
        var (header, entries, replace) = StateDocument.Of(commit);
        var rows = new (string Path, string? State)[entries.Count];
        for (var i = 0; i < rows.Length; i++) rows[i] = (entries[i].Key, entries[i].Value is { } entry ? System.Text.Encoding.UTF8.GetString(entry) : null);
        return new PreparedState(StoreJson.Write(header), rows, replace);
    }

    /// <summary>Writes the rows of a commit (after its version-checked instance row, in the same transaction).</summary>
    private void WriteSteps(SqliteConnection connection, string instanceId, PreparedState state)
    {
        if (state.Replace)
        {
            var clear = WriterCommand(connection, DeleteStepsSql);
            SqliteCommands.Set(clear, "$instance_id", instanceId);
            clear.ExecuteNonQuery();
        }
        if (state.Rows.Length == 0) return;
        SqliteCommand? upsert = null, delete = null;
        foreach (var (path, text) in state.Rows)
        {
            var command = text is null ? delete ??= WriterCommand(connection, DeleteStepSql) : upsert ??= WriterCommand(connection, UpsertStepSql);
            SqliteCommands.Set(command, "$instance_id", instanceId);
            SqliteCommands.Set(command, "$path", path);
            if (text is not null) SqliteCommands.Set(command, "$state", text);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A commit's state, ready to write.</summary>
    private sealed record PreparedState(string Header, (string Path, string? State)[] Rows, bool Replace);
}
