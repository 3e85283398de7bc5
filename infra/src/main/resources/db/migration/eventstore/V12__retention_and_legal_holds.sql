-- Retention and legal holds (docs/compliance.md#retention, #legal-hold). Versioned 20 to leave room below it for
-- issue 25's other migrations; versions are one sequence across modules, never reused.

-- db-scheduler's table (com.github.kagkarlsson:db-scheduler 16, its postgresql_tables.sql): the retention job's
-- next run lives here, so it survives restarts, and a row lock makes one node of many run each execution.
CREATE TABLE scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures int,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- Every legal hold; the LegalHold events are the record, this is what erasure and retention consult.
CREATE TABLE legal_holds (
    hold_id      uuid          PRIMARY KEY,
    target_kind  varchar(16)   NOT NULL,   -- USER or CONVERSATION
    target_id    varchar(64)   NOT NULL,
    matter       varchar(100)  NOT NULL,
    placed_by    varchar(64)   NOT NULL,
    placed_at    timestamptz   NOT NULL,
    released_by  varchar(64),
    released_at  timestamptz
);
CREATE INDEX legal_holds_active ON legal_holds (target_kind, target_id) WHERE released_at IS NULL;

-- Erasures and expiries a hold deferred; carried out (carried_out_at) when no hold covers them any more.
CREATE TABLE deferred_erasures (
    deferral_id     uuid          PRIMARY KEY,
    subject_kind    varchar(16)   NOT NULL,   -- USER (an erasure) or CONVERSATION (retention)
    subject_id      varchar(64)   NOT NULL,
    requested_by    varchar(64)   NOT NULL,   -- a user id, or 'retention'
    reason          text          NOT NULL,   -- the erasure's reason, or the retention rule
    matters         text          NOT NULL,   -- the matters that held it when it was asked
    deferred_at     timestamptz   NOT NULL,
    carried_out_at  timestamptz
);
-- one pending request per subject: asking again while held adds nothing
CREATE UNIQUE INDEX deferred_erasures_one_pending ON deferred_erasures (subject_kind, subject_id)
    WHERE carried_out_at IS NULL;

-- Every retention run, dry or real, scheduled or asked for: when, where, which rule, what it expired or deferred.
CREATE TABLE retention_runs (
    run_id         uuid          PRIMARY KEY,
    started_at     timestamptz   NOT NULL,
    node           varchar(255)  NOT NULL,
    dry_run        boolean       NOT NULL,
    trigger        varchar(16)   NOT NULL,   -- SCHEDULE, API or CLI
    scheduled_for  timestamptz,              -- SCHEDULE: the execution db-scheduler ran
    policy         text          NOT NULL,
    expired        text[]        NOT NULL,   -- conversation ids
    deferred       text[]        NOT NULL
);
CREATE INDEX retention_runs_latest ON retention_runs (started_at DESC);
