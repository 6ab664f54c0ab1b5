namespace VirtFlow.Engine.Storage.Postgres;

/// <summary>
/// Migration 2: the state document's <c>steps</c> entries move to one row each in <c>instance_steps</c>, so a checkpoint
/// writes the entries it changed and not the whole document; <c>instances.state</c> keeps the rest (with <c>"steps": {}</c>).
/// Instances in flight keep their state: their entries are copied into rows by the migration itself.
/// </summary>
internal static class PostgresStateMigration
{
    public const int Version = 2;

    public const string Sql = """
        CREATE TABLE instance_steps (
            instance_id text COLLATE "C" NOT NULL,
            path        text COLLATE "C" NOT NULL,
            state       jsonb NOT NULL,
            PRIMARY KEY (instance_id, path)
        );

        INSERT INTO instance_steps (instance_id, path, state)
        SELECT i.id, s.key, s.value
        FROM instances i, jsonb_each(i.state -> 'steps') s
        WHERE jsonb_typeof(i.state -> 'steps') = 'object';

        UPDATE instances SET state = jsonb_set(state, '{steps}', '{}'::jsonb)
        WHERE jsonb_typeof(state -> 'steps') = 'object';
        """;

    /// <summary>The <c>state</c> column as readers see it: the header with its rows put back into <c>steps</c>.</summary>
    public const string AssembledState = """
        CASE WHEN jsonb_typeof(instances.state -> 'steps') = 'object'
            THEN jsonb_set(instances.state, '{steps}',
                COALESCE((SELECT jsonb_object_agg(s.path, s.state) FROM instance_steps s WHERE s.instance_id = instances.id), '{}'::jsonb))
            ELSE instances.state END AS state
        """;
}
