namespace VirtFlow.Engine.Storage.Sqlite;

/// <summary>
/// The SQLite schema as numbered migrations, applied in order and recorded in <c>schema_version</c>.
/// Never edit a released migration: add the next one.
/// </summary>
internal static class SqliteMigrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE instances (
                id                 TEXT    NOT NULL PRIMARY KEY,
                workflow_name      TEXT    NOT NULL,
                workflow_version   INTEGER NOT NULL,
                definition_hash    TEXT    NOT NULL,
                status             TEXT    NOT NULL,
                version            INTEGER NOT NULL,
                correlation_id     TEXT,
                parent_instance_id TEXT,
                parent_step_path   TEXT,
                input              TEXT    NOT NULL,
                output             TEXT,
                fault              TEXT,
                state              TEXT    NOT NULL,
                created_at         INTEGER NOT NULL,
                updated_at         INTEGER NOT NULL,
                lease_until        INTEGER,
                lease_owner        TEXT
            );
            CREATE INDEX ix_instances_status_lease ON instances (status, lease_until);
            CREATE INDEX ix_instances_correlation ON instances (correlation_id) WHERE correlation_id IS NOT NULL;

            CREATE TABLE bookmarks (
                id          TEXT    NOT NULL PRIMARY KEY,
                instance_id TEXT    NOT NULL,
                step_path   TEXT    NOT NULL,
                name        TEXT    NOT NULL,
                key         TEXT,
                due_at      INTEGER,
                data        TEXT,
                created_at  INTEGER NOT NULL
            );
            CREATE INDEX ix_bookmarks_key ON bookmarks (key) WHERE key IS NOT NULL;
            CREATE INDEX ix_bookmarks_due ON bookmarks (due_at, id) WHERE due_at IS NOT NULL;
            CREATE INDEX ix_bookmarks_instance ON bookmarks (instance_id);

            CREATE TABLE inbox (
                id          TEXT    NOT NULL PRIMARY KEY,
                key         TEXT    NOT NULL,
                payload     TEXT,
                received_at INTEGER NOT NULL,
                expires_at  INTEGER NOT NULL,
                consumed_at INTEGER
            );
            CREATE INDEX ix_inbox_key_unconsumed ON inbox (key, received_at) WHERE consumed_at IS NULL;
            CREATE INDEX ix_inbox_expires ON inbox (expires_at);
            CREATE INDEX ix_inbox_consumed ON inbox (consumed_at) WHERE consumed_at IS NOT NULL;

            CREATE TABLE outbox (
                seq           INTEGER NOT NULL PRIMARY KEY,
                id            TEXT    NOT NULL UNIQUE,
                instance_id   TEXT    NOT NULL,
                destination   TEXT    NOT NULL,
                message_type  TEXT    NOT NULL,
                payload       TEXT    NOT NULL,
                created_at    INTEGER NOT NULL,
                attempts      INTEGER NOT NULL DEFAULT 0,
                dispatched_at INTEGER,
                last_error    TEXT
            );
            CREATE INDEX ix_outbox_pending ON outbox (created_at, seq) WHERE dispatched_at IS NULL;

            CREATE TABLE journal (
                seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                instance_id TEXT    NOT NULL,
                at          INTEGER NOT NULL,
                step_path   TEXT,
                kind        TEXT    NOT NULL,
                message     TEXT,
                data        TEXT
            );
            CREATE INDEX ix_journal_instance ON journal (instance_id, seq);

            CREATE TABLE definitions (
                hash           TEXT    NOT NULL PRIMARY KEY,
                name           TEXT    NOT NULL,
                version        INTEGER NOT NULL,
                canonical_json TEXT    NOT NULL,
                created_at     INTEGER NOT NULL
            );
            """),
        (SqliteStateMigration.Version, SqliteStateMigration.Sql),
        (3, """
            CREATE TABLE api_keys (
                id         TEXT    NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                role       TEXT    NOT NULL,
                hash       TEXT    NOT NULL UNIQUE,
                created_at INTEGER NOT NULL,
                expires_at INTEGER,
                revoked_at INTEGER
            );
            CREATE UNIQUE INDEX ux_api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;

            CREATE TABLE audit (
                seq    INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                at     INTEGER NOT NULL,
                actor  TEXT    NOT NULL,
                action TEXT    NOT NULL,
                target TEXT    NOT NULL,
                status INTEGER NOT NULL
            );
            CREATE INDEX ix_audit_at ON audit (at, seq);
            """),
        // 4: the workflow catalog (published versions, one draft per name; the ETag every write checks).
        (4, """
            CREATE TABLE workflow_catalog (
                name             TEXT    NOT NULL PRIMARY KEY,
                published        INTEGER NOT NULL,
                etag             TEXT    NOT NULL,
                draft_yaml       TEXT,
                draft_etag       TEXT,
                draft_saved_by   TEXT,
                draft_saved_at   INTEGER,
                draft_base       INTEGER,
                created_at       INTEGER NOT NULL
            );

            CREATE TABLE workflow_versions (
                name            TEXT    NOT NULL,
                version         INTEGER NOT NULL,
                yaml            TEXT    NOT NULL,
                definition_hash TEXT    NOT NULL,
                published_by    TEXT    NOT NULL,
                published_at    INTEGER NOT NULL,
                source          TEXT,
                PRIMARY KEY (name, version)
            );
            """),
        (5, """
            -- The instances API (issue 14): vm and host of the inputs as columns (generated: set at insert, computed for
            -- the rows already there), newest-first indexes for each list filter, and the idempotency keys of starts.
            ALTER TABLE instances ADD COLUMN vm TEXT
                GENERATED ALWAYS AS (CASE WHEN json_type(input, '$.vm') = 'text' THEN json_extract(input, '$.vm') END) VIRTUAL;
            ALTER TABLE instances ADD COLUMN host TEXT
                GENERATED ALWAYS AS (CASE WHEN json_type(input, '$.host') = 'text' THEN json_extract(input, '$.host') END) VIRTUAL;
            CREATE INDEX ix_instances_created ON instances (created_at, id);
            CREATE INDEX ix_instances_status_created ON instances (status, created_at, id);
            CREATE INDEX ix_instances_workflow_created ON instances (workflow_name, created_at, id);
            CREATE INDEX ix_instances_vm_created ON instances (vm, created_at, id);
            CREATE INDEX ix_instances_host_created ON instances (host, created_at, id);

            CREATE TABLE idempotency_keys (
                caller       TEXT    NOT NULL,
                key          TEXT    NOT NULL,
                request_hash TEXT    NOT NULL,
                instance_id  TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                expires_at   INTEGER NOT NULL,
                PRIMARY KEY (caller, key)
            );
            CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
            """),
        (6, """
            ALTER TABLE instances ADD COLUMN lock_key TEXT;
            CREATE UNIQUE INDEX ux_instances_lock ON instances (lock_key) WHERE lock_key IS NOT NULL AND status IN ('running', 'suspended');
            """),
        (7, """
            CREATE TABLE hosts (
                host_id   TEXT    NOT NULL PRIMARY KEY,
                worker_id TEXT,
                version   TEXT,
                online    INTEGER NOT NULL,
                last_seen INTEGER NOT NULL,
                vms       TEXT    NOT NULL
            );
            """),
        (8, """
            -- The last progress report of each step per disk, read without the rest of the journal (GET /api/instances/{id}).
            CREATE INDEX ix_journal_instance_kind ON journal (instance_id, kind, seq);
            """),
        (9, """
            CREATE TABLE schedule_firings (
                schedule_id    TEXT    NOT NULL,
                scheduled_time INTEGER NOT NULL,
                outcome        TEXT    NOT NULL,
                instance_id    TEXT,
                detail         TEXT,
                source         TEXT    NOT NULL,
                recorded_by    TEXT,
                recorded_at    INTEGER NOT NULL,
                PRIMARY KEY (schedule_id, scheduled_time)
            );
            CREATE INDEX ix_schedule_firings_instance ON schedule_firings (instance_id) WHERE instance_id IS NOT NULL;
            CREATE TABLE schedule_states (
                schedule_id TEXT    NOT NULL PRIMARY KEY,
                paused      INTEGER NOT NULL,
                note        TEXT,
                changed_by  TEXT,
                changed_at  INTEGER NOT NULL
            );
            CREATE TABLE scheduler_leases (
                name       TEXT    NOT NULL PRIMARY KEY,
                owner      TEXT    NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """),
        (10, """
            CREATE TABLE message_dedupe (
                message_type TEXT    NOT NULL,
                key          TEXT    NOT NULL,
                instance_id  TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                expires_at   INTEGER NOT NULL,
                PRIMARY KEY (message_type, key)
            );
            CREATE INDEX ix_message_dedupe_expires ON message_dedupe (expires_at);
            CREATE TABLE message_counts (
                message_type TEXT    NOT NULL,
                outcome      TEXT    NOT NULL,
                count        INTEGER NOT NULL,
                PRIMARY KEY (message_type, outcome)
            );
            """),
        // 11 (fleet): counted limits (ICountedLimitStore). 8-10 are other branches' numbers (session 7 plan).
        (11, """
            CREATE TABLE limit_slots (
                key         TEXT    NOT NULL,
                instance_id TEXT    NOT NULL,
                holder      TEXT    NOT NULL,
                acquired_at INTEGER NOT NULL,
                PRIMARY KEY (key, instance_id, holder)
            );
            CREATE INDEX ix_limit_slots_instance ON limit_slots (instance_id);
            """),
    ];

    public static int Latest => All[^1].Version;
}
