-- The analysts' schema (docs/analytics.md): stable names and types, built from events by AnalyticsProjection,
-- without message texts. Analysts get the role hirechat_analyst, which can read this schema and nothing else.
CREATE SCHEMA analytics;

CREATE TABLE analytics.messages (
    conversation_id   uuid         NOT NULL,
    seq               bigint       NOT NULL,
    message_id        uuid         NOT NULL,
    sender_id         varchar(64)  NOT NULL,
    sender_role       varchar(16),               -- SEEKER, RECRUITER, COMPANY, OTHER; null when unknown at the time
    sent_at           timestamptz  NOT NULL,
    text_length       integer      NOT NULL,     -- in Unicode code points
    edited            boolean      NOT NULL DEFAULT false,
    redacted          boolean      NOT NULL DEFAULT false,
    last_event_seq    bigint       NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
CREATE INDEX analytics_messages_by_time ON analytics.messages (sent_at);

CREATE TABLE analytics.conversations (
    conversation_id                 uuid         PRIMARY KEY,
    kind                            varchar(16)  NOT NULL,   -- DIRECT or GROUP
    started_at                      timestamptz  NOT NULL,
    started_by                      varchar(64)  NOT NULL,
    started_by_role                 varchar(16),
    first_job_id                    varchar(64),
    job_count                       integer      NOT NULL DEFAULT 0,
    participant_count               integer      NOT NULL,
    message_count                   integer      NOT NULL DEFAULT 0,
    seeker_message_count            integer      NOT NULL DEFAULT 0,
    recruiter_message_count         integer      NOT NULL DEFAULT 0,   -- RECRUITER or COMPANY senders
    first_seeker_message_at         timestamptz,
    first_recruiter_response_at     timestamptz,
    first_response_seconds          double precision,     -- recruiter side's first reply after the first seeker message
    last_message_at                 timestamptz,
    last_event_seq                  bigint       NOT NULL
);

CREATE VIEW analytics.daily_activity AS
SELECT (sent_at AT TIME ZONE 'UTC')::date AS day,
       count(*)                           AS messages,
       count(DISTINCT sender_id)          AS active_senders,
       count(DISTINCT conversation_id)    AS active_conversations
  FROM analytics.messages
 GROUP BY 1;

-- Roles belong to the whole PostgreSQL cluster: create it once, and only where this user may create roles.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hirechat_analyst') THEN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolcreaterole OR rolsuper)) THEN
            CREATE ROLE hirechat_analyst NOLOGIN;
        ELSE
            RAISE NOTICE 'hirechat_analyst not created: % may not create roles; see docs/analytics.md', current_user;
        END IF;
    END IF;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'hirechat_analyst') THEN
        GRANT USAGE ON SCHEMA analytics TO hirechat_analyst;
        GRANT SELECT ON ALL TABLES IN SCHEMA analytics TO hirechat_analyst;
        EXECUTE format('GRANT CONNECT ON DATABASE %I TO hirechat_analyst', current_database());
    END IF;
END
$$;
