namespace VirtFlow.Engine.Storage.Sqlite;

/// <summary>
/// Migration 2: the state document's <c>steps</c> entries move to one row each in <c>instance_steps</c>, so a checkpoint
/// writes the entries it changed and not the whole document; <c>instances.state</c> keeps the rest (with <c>"steps": {}</c>).
/// Instances in flight keep their state: their entries are copied into rows by the migration itself.
/// </summary>
internal static class SqliteStateMigration
{
    public const int Version = 2;

    public const string Sql = """
        CREATE TABLE instance_steps (
            instance_id TEXT NOT NULL,
            path        TEXT NOT NULL,
            state       TEXT NOT NULL,
            PRIMARY KEY (instance_id, path)
        ) WITHOUT ROWID;

        INSERT INTO instance_steps (instance_id, path, state)
        SELECT i.id, s.key, s.value
        FROM instances i, json_each(i.state, '$.steps') s
        WHERE json_type(i.state, '$.steps') = 'object';

        UPDATE instances SET state = json_set(state, '$.steps', json('{}'))
        WHERE json_type(state, '$.steps') = 'object';
        """;

    /// <summary>The <c>state</c> column as readers see it: the header with its rows put back into <c>steps</c>.</summary>
    public const string AssembledState = """
        CASE WHEN json_type(instances.state, '$.steps') = 'object'
            THEN json_set(instances.state, '$.steps',
                json((SELECT json_group_object(s.path, json(s.state)) FROM instance_steps s WHERE s.instance_id = instances.id)))
            ELSE instances.state END AS state
        """;
}
