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
        (9, """
            CREATE TABLE schedule_firings (
                schedule_id    text COLLATE "C" NOT NULL,
                scheduled_time timestamptz NOT NULL,
                outcome        text        NOT NULL,
                instance_id    text COLLATE "C",
                detail         text,
                source         text        NOT NULL,
                recorded_by    text,
                recorded_at    timestamptz NOT NULL,
                PRIMARY KEY (schedule_id, scheduled_time)
            );
            CREATE INDEX ix_schedule_firings_instance ON schedule_firings (instance_id) WHERE instance_id IS NOT NULL;
            CREATE TABLE schedule_states (
                schedule_id text COLLATE "C" NOT NULL PRIMARY KEY,
                paused      boolean     NOT NULL,
                note        text,
                changed_by  text,
                changed_at  timestamptz NOT NULL
            );
            CREATE TABLE scheduler_leases (
                name       text COLLATE "C" NOT NULL PRIMARY KEY,
                owner      text        NOT NULL,
                expires_at timestamptz NOT NULL
            );
            -- Quartz.NET 4.7 ADO.NET job store (clustered), table prefix vf_qrtz_ (the scheduler's TablePrefix).
            CREATE TABLE vf_qrtz_job_details (
              sched_name text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              job_class_name text not null,
              is_durable bool not null,
              is_nonconcurrent bool not null,
              is_update_data bool not null,
              requests_recovery bool not null,
              job_data bytea null,
              primary key (sched_name,job_name,job_group)
            );
            CREATE TABLE vf_qrtz_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text not null,
              job_group text not null,
              description text null,
              next_fire_time bigint null,
              prev_fire_time bigint null,
              priority integer null,
              trigger_state text not null,
              trigger_type text not null,
              start_time bigint not null,
              end_time bigint null,
              calendar_name text null,
              misfire_instr smallint null,
              misfire_orig_fire_time bigint null,
              execution_group varchar(200) null,
              preferred_node varchar(200) null,
              preferred_node_auto bool not null default false,
              retry_policy varchar(250) null,
              retry_attempt integer null,
              continues_trigger_name text null,
              continues_trigger_group text null,
              continuation_condition integer null,
              overlap_policy integer null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              misfire_threshold bigint null,
              fixed_delay bool null,
              job_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,job_name,job_group) references vf_qrtz_job_details (sched_name,job_name,job_group)
            );
            CREATE TABLE vf_qrtz_simple_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              repeat_count bigint not null,
              repeat_interval bigint not null,
              times_triggered bigint not null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references vf_qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE vf_qrtz_cron_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              cron_expression text not null,
              time_zone_id text,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references vf_qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE vf_qrtz_simprop_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              str_prop_1 text null,
              str_prop_2 text null,
              str_prop_3 text null,
              int_prop_1 integer null,
              int_prop_2 integer null,
              long_prop_1 bigint null,
              long_prop_2 bigint null,
              dec_prop_1 numeric null,
              dec_prop_2 numeric null,
              bool_prop_1 bool null,
              bool_prop_2 bool null,
              time_zone_id text null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references vf_qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE vf_qrtz_blob_triggers (
              sched_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              blob_data bytea null,
              primary key (sched_name,trigger_name,trigger_group),
              foreign key (sched_name,trigger_name,trigger_group) references vf_qrtz_triggers (sched_name,trigger_name,trigger_group) on delete cascade
            );
            CREATE TABLE vf_qrtz_calendars (
              sched_name text not null,
              calendar_name text not null,
              calendar bytea not null,
              primary key (sched_name,calendar_name)
            );
            CREATE TABLE vf_qrtz_paused_trigger_grps (
              sched_name text not null,
              trigger_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,trigger_group)
            );
            CREATE TABLE vf_qrtz_paused_job_grps (
              sched_name text not null,
              job_group text not null,
              pause_reason varchar(250) null,
              paused_by varchar(200) null,
              paused_at bigint null,
              primary key (sched_name,job_group)
            );
            CREATE TABLE vf_qrtz_fired_triggers (
              sched_name text not null,
              entry_id text not null,
              trigger_name text not null,
              trigger_group text not null,
              instance_name text not null,
              fired_time bigint not null,
              sched_time bigint not null,
              priority integer not null,
              state text not null,
              job_name text null,
              job_group text null,
              is_nonconcurrent bool not null,
              requests_recovery bool null,
              execution_group varchar(200) null,
              progress integer null,
              progress_message varchar(250) null,
              interrupt_requested_time bigint null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE vf_qrtz_scheduler_state (
              sched_name text not null,
              instance_name text not null,
              last_checkin_time bigint not null,
              checkin_interval bigint not null,
              quartz_version varchar(20) null,
              primary key (sched_name,instance_name)
            );
            CREATE TABLE vf_qrtz_locks (
              sched_name text not null,
              lock_name text not null,
              primary key (sched_name,lock_name)
            );
            CREATE TABLE vf_qrtz_execution_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              job_name text not null,
              job_group text not null,
              trigger_name text not null,
              trigger_group text not null,
              fired_time bigint not null,
              run_time bigint not null,
              succeeded bool not null,
              error_message text null,
              retry_attempt integer not null default 0,
              retry_scheduled bool not null default false,
              execution_log text null,
              result integer null,
              summary text null,
              metrics text null,
              manual bool null,
              fire_instance_id text null,
              job_input text null,
              job_input_too_large bool null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE vf_qrtz_misfire_history (
              sched_name text not null,
              entry_id text not null,
              instance_name text not null,
              trigger_name text not null,
              trigger_group text not null,
              job_name text null,
              job_group text null,
              misfire_time bigint not null,
              sched_time bigint null,
              reason integer null,
              primary key (sched_name,entry_id)
            );
            CREATE TABLE vf_qrtz_job_status (
              sched_name text not null,
              job_group text not null,
              job_name text not null,
              first_fired_time bigint not null,
              last_fired_time bigint not null,
              last_result integer not null,
              last_run_time bigint not null,
              last_instance_name text not null,
              last_entry_id text null,
              last_summary text null,
              last_success_time bigint null,
              last_failure_time bigint null,
              last_failure_message text null,
              consecutive_failures integer not null default 0,
              run_count bigint not null default 0,
              failure_count bigint not null default 0,
              primary key (sched_name,job_group,job_name)
            );
            CREATE INDEX idx_vf_qrtz_j_g_n ON vf_qrtz_job_details (sched_name, job_group, job_name);
            CREATE INDEX idx_vf_qrtz_t_j ON vf_qrtz_triggers (sched_name, job_name, job_group);
            CREATE INDEX idx_vf_qrtz_t_g_n ON vf_qrtz_triggers (sched_name, trigger_group, trigger_name);
            CREATE INDEX idx_vf_qrtz_t_c ON vf_qrtz_triggers (sched_name, calendar_name);
            CREATE INDEX idx_vf_qrtz_t_nft_st ON vf_qrtz_triggers (sched_name, trigger_state, next_fire_time asc, priority desc, misfire_instr);
            CREATE INDEX idx_vf_qrtz_ft_inst_job_req_rcvry ON vf_qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
            CREATE INDEX idx_vf_qrtz_ft_j_g ON vf_qrtz_fired_triggers (sched_name, job_name, job_group);
            CREATE INDEX idx_vf_qrtz_ft_t_g ON vf_qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
            CREATE INDEX idx_vf_qrtz_eh_fired_time ON vf_qrtz_execution_history (sched_name, fired_time);
            CREATE INDEX idx_vf_qrtz_eh_inst ON vf_qrtz_execution_history (sched_name, instance_name);
            CREATE INDEX idx_vf_qrtz_mh_misfire_time ON vf_qrtz_misfire_history (sched_name, misfire_time);
            CREATE INDEX idx_vf_qrtz_mh_inst ON vf_qrtz_misfire_history (sched_name, instance_name);
            CREATE INDEX idx_vf_qrtz_eh_job_time ON vf_qrtz_execution_history (sched_name, job_group, job_name, fired_time);
            CREATE INDEX idx_vf_qrtz_eh_fire_inst ON vf_qrtz_execution_history (sched_name, fire_instance_id);
            CREATE INDEX idx_vf_qrtz_eh_trig_time ON vf_qrtz_execution_history (sched_name, trigger_group, trigger_name, fired_time);
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
