using Npgsql;
using P = VirtFlow.Engine.Storage.Postgres.PostgresParameters;

namespace VirtFlow.Engine.Storage.Postgres;

public sealed partial class PostgresWorkflowStore
{
    private const string UpsertStepsSql = """
        INSERT INTO instance_steps (instance_id, path, state)
        SELECT @instance_id, t.path, t.state::jsonb FROM unnest(@paths, @states) AS t(path, state)
        ON CONFLICT (instance_id, path) DO UPDATE SET state = excluded.state
        """;

    /// <summary>
    /// Adds the commit's state rows to its batch (after the version-checked instance row, whose failure rolls them back);
    /// returns the header for <c>instances.state</c>. A whole document replaces every row; a delta puts and removes its own.
    /// </summary>
    private static string AddSteps(NpgsqlBatch batch, InstanceCommit commit)
    {
        var id = commit.Instance.Id;
        var (header, entries, replace) = StateDocument.Of(commit);
        if (replace) Add(batch, "DELETE FROM instance_steps WHERE instance_id = @instance_id", P.Text("instance_id", id));
        var paths = new List<string>(entries.Count);
        var states = new List<string>(entries.Count);
        var gone = new List<string>();
        foreach (var (path, entry) in entries)
        {
            if (entry is null)
            {
                gone.Add(path);
                continue;
            }
            paths.Add(path);
            states.Add(System.Text.Encoding.UTF8.GetString(entry));
        }
        if (gone.Count > 0)
        {
            Add(batch, "DELETE FROM instance_steps WHERE instance_id = @instance_id AND path = ANY(@paths)",
                P.Text("instance_id", id), P.TextArray("paths", gone));
        }
        if (paths.Count > 0)
            Add(batch, UpsertStepsSql, P.Text("instance_id", id), P.TextArray("paths", paths), P.TextArray("states", states));
        return StoreJson.Write(header);
    }
}
