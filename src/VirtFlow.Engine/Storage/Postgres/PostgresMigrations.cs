namespace VirtFlow.Engine.Storage.Postgres;

/// <summary>
/// The PostgreSQL schema as numbered migrations, applied in order under an advisory lock and recorded in
/// <c>schema_version</c>. Identifiers and keys use the "C" collation: byte order, the same in every database
/// whatever its locale, and cheaper to compare. Never edit a released migration: add the next one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The <c>pg_advisory_xact_lock</c> key that serializes migrations ("VirtFlow" in ASCII).</summary>
    public const long LockKey = 0x56697274466C6F77;

    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE instances (
                id                 text COLLATE "C" NOT NULL PRIMARY KEY,
                workflow_name      text        NOT NULL,
                workflow_version   integer     NOT NULL,
                definition_hash    text        NOT NULL,
                status             text        NOT NULL,
                version            bigint      NOT NULL,
                correlation_id     text COLLATE "C",
                parent_instance_id text COLLATE "C",
                parent_step_path   text,
                input              jsonb       NOT NULL,
                output             jsonb,
                fault              text,
                state              jsonb       NOT NULL,
                created_at         timestamptz NOT NULL,
                updated_at         timestamptz NOT NULL,
                lease_until        timestamptz,
                lease_owner        text
            );
            CREATE INDEX ix_instances_status_lease ON instances (status, lease_until);
            CREATE INDEX ix_instances_correlation ON instances (correlation_id) WHERE correlation_id IS NOT NULL;

            CREATE TABLE bookmarks (
                id          text COLLATE "C" NOT NULL PRIMARY KEY,
                instance_id text COLLATE "C" NOT NULL,
                step_path   text        NOT NULL,
                name        text        NOT NULL,
                key         text COLLATE "C",
                due_at      timestamptz,
                data        jsonb,
                created_at  timestamptz NOT NULL
            );
            CREATE INDEX ix_bookmarks_key ON bookmarks (key) WHERE key IS NOT NULL;
            CREATE INDEX ix_bookmarks_due ON bookmarks (due_at, id) WHERE due_at IS NOT NULL;
            CREATE INDEX ix_bookmarks_instance ON bookmarks (instance_id);

            CREATE TABLE inbox (
                id          text COLLATE "C" NOT NULL PRIMARY KEY,
                key         text COLLATE "C" NOT NULL,
                payload     jsonb,
                received_at timestamptz NOT NULL,
                expires_at  timestamptz NOT NULL,
                consumed_at timestamptz
            );
            CREATE INDEX ix_inbox_key_unconsumed ON inbox (key, received_at) WHERE consumed_at IS NULL;
            CREATE INDEX ix_inbox_expires ON inbox (expires_at);
            CREATE INDEX ix_inbox_consumed ON inbox (consumed_at) WHERE consumed_at IS NOT NULL;

            CREATE TABLE outbox (
                id            text COLLATE "C" NOT NULL PRIMARY KEY,
                seq           bigint GENERATED ALWAYS AS IDENTITY,
                instance_id   text COLLATE "C" NOT NULL,
                destination   text        NOT NULL,
                message_type  text        NOT NULL,
                payload       jsonb       NOT NULL,
                created_at    timestamptz NOT NULL,
                attempts      integer     NOT NULL DEFAULT 0,
                dispatched_at timestamptz,
                last_error    text
            );
            CREATE INDEX ix_outbox_pending ON outbox (created_at, seq) WHERE dispatched_at IS NULL;

            CREATE TABLE journal (
                seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                instance_id text COLLATE "C" NOT NULL,
                at          timestamptz NOT NULL,
                step_path   text,
                kind        text        NOT NULL,
                message     text,
                data        jsonb
            );
            CREATE INDEX ix_journal_instance ON journal (instance_id, seq);

            CREATE TABLE definitions (
                hash           text COLLATE "C" NOT NULL PRIMARY KEY,
                name           text        NOT NULL,
                version        integer     NOT NULL,
                canonical_json text        NOT NULL,
                created_at     timestamptz NOT NULL
            );
            """),
        (PostgresStateMigration.Version, PostgresStateMigration.Sql),
        (3, """
            CREATE TABLE api_keys (
                id         text COLLATE "C" NOT NULL PRIMARY KEY,
                name       text COLLATE "C" NOT NULL,
                role       text        NOT NULL,
                hash       text COLLATE "C" NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                expires_at timestamptz,
                revoked_at timestamptz
            );
            CREATE UNIQUE INDEX ux_api_keys_active_name ON api_keys (name) WHERE revoked_at IS NULL;

            CREATE TABLE audit (
                seq    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at     timestamptz NOT NULL,
                actor  text        NOT NULL,
                action text        NOT NULL,
                target text        NOT NULL,
                status integer     NOT NULL
            );
            CREATE INDEX ix_audit_at ON audit (at, seq);
            """),
        // 4: the workflow catalog (published versions, one draft per name; the ETag every write checks).
        (4, """
            CREATE TABLE workflow_catalog (
                name             text COLLATE "C" NOT NULL PRIMARY KEY,
                published        integer     NOT NULL,
                etag             text        NOT NULL,
                draft_yaml       text,
                draft_etag       text,
                draft_saved_by   text,
                draft_saved_at   timestamptz,
                draft_base       integer,
                created_at       timestamptz NOT NULL
            );

            CREATE TABLE workflow_versions (
                name            text COLLATE "C" NOT NULL,
                version         integer     NOT NULL,
                yaml            text        NOT NULL,
                definition_hash text        NOT NULL,
                published_by    text        NOT NULL,
                published_at    timestamptz NOT NULL,
                source          text,
                PRIMARY KEY (name, version)
            );
            """),
        (5, """
            -- The instances API (issue 14): vm and host of the inputs as columns (generated: set at insert, computed for
            -- the rows already there), newest-first indexes for each list filter, and the idempotency keys of starts.
            ALTER TABLE instances
                ADD COLUMN vm text COLLATE "C"
                    GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(input -> 'vm') = 'string' THEN input ->> 'vm' END) STORED,
                ADD COLUMN host text COLLATE "C"
                    GENERATED ALWAYS AS (CASE WHEN jsonb_typeof(input -> 'host') = 'string' THEN input ->> 'host' END) STORED;
            CREATE INDEX ix_instances_created ON instances (created_at, id);
            CREATE INDEX ix_instances_status_created ON instances (status, created_at, id);
            CREATE INDEX ix_instances_workflow_created ON instances (workflow_name, created_at, id);
            CREATE INDEX ix_instances_vm_created ON instances (vm, created_at, id);
            CREATE INDEX ix_instances_host_created ON instances (host, created_at, id);

            CREATE TABLE idempotency_keys (
                caller       text COLLATE "C" NOT NULL,
                key          text COLLATE "C" NOT NULL,
                request_hash text        NOT NULL,
                instance_id  text COLLATE "C" NOT NULL,
                created_at   timestamptz NOT NULL,
                expires_at   timestamptz NOT NULL,
                PRIMARY KEY (caller, key)
            );
            CREATE INDEX ix_idempotency_expires ON idempotency_keys (expires_at);
            """),
        (6, """
            ALTER TABLE instances ADD COLUMN lock_key text COLLATE "C";
            CREATE UNIQUE INDEX ux_instances_lock ON instances (lock_key) WHERE lock_key IS NOT NULL AND status IN ('running', 'suspended');
            """),
        (7, """
            CREATE TABLE hosts (
                host_id   text COLLATE "C" NOT NULL PRIMARY KEY,
                worker_id text,
                version   text,
                online    boolean     NOT NULL,
                last_seen timestamptz NOT NULL,
                vms       jsonb       NOT NULL
            );
            """),
        (8, """
            -- The last progress report of each step per disk, read without the rest of the journal (GET /api/instances/{id}).
            CREATE INDEX ix_journal_instance_kind ON journal (instance_id, kind, seq);
            """),
        (10, """
            CREATE TABLE message_dedupe (
                message_type text COLLATE "C" NOT NULL,
                key          text COLLATE "C" NOT NULL,
                instance_id  text COLLATE "C" NOT NULL,
                created_at   timestamptz NOT NULL,
                expires_at   timestamptz NOT NULL,
                PRIMARY KEY (message_type, key)
            );
            CREATE INDEX ix_message_dedupe_expires ON message_dedupe (expires_at);
            CREATE TABLE message_counts (
                message_type text COLLATE "C" NOT NULL,
                outcome      text COLLATE "C" NOT NULL,
                count        bigint NOT NULL,
                PRIMARY KEY (message_type, outcome)
            );
            """),
        // 11 (fleet): counted limits (ICountedLimitStore). 8-10 are other branches' numbers (session 7 plan).
        (11, """
            CREATE TABLE limit_slots (
                key         text COLLATE "C" NOT NULL,
                instance_id text COLLATE "C" NOT NULL,
                holder      text COLLATE "C" NOT NULL,
                acquired_at timestamptz NOT NULL,
                PRIMARY KEY (key, instance_id, holder)
            );
            CREATE INDEX ix_limit_slots_instance ON limit_slots (instance_id);
            """),
    ];

    public static int Latest => All[^1].Version;
}
