-- Read models of conversations and users. Built by projections from the event store and rebuildable from it.
-- Migration versions are one sequence across modules (infra's event store and these), never reused.
-- Every row remembers the seq of the last event applied to it (last_event_seq): handlers skip events at or
-- below it, which makes redelivery harmless.

-- Written in the same transaction as the events (subscribing processor): access checks never lag the event store.
CREATE TABLE conversation_participants (
    conversation_id uuid        NOT NULL,
    user_id         varchar(64) NOT NULL,
    joined_seq      bigint      NOT NULL,
    left_seq        bigint,                 -- set when removed: they keep what came before it
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_participants_by_user ON conversation_participants (user_id);

CREATE TABLE conversations (
    conversation_id uuid          PRIMARY KEY,
    kind            varchar(16)   NOT NULL,  -- DIRECT or GROUP
    title           varchar(100),            -- groups only
    started_by      varchar(64)   NOT NULL,
    started_at      timestamptz   NOT NULL
);

-- One row per message, current text (edits applied, redactions blanked), keyset-paginated by seq.
CREATE TABLE message_history (
    conversation_id   uuid          NOT NULL,
    seq               bigint        NOT NULL,
    message_id        uuid          NOT NULL UNIQUE,
    client_message_id varchar(64)   NOT NULL,
    sender_id         varchar(64)   NOT NULL,
    text              text          NOT NULL,
    sent_at           timestamptz   NOT NULL,
    edited_at         timestamptz,
    redacted_at       timestamptz,
    redacted_by       varchar(64),
    last_event_seq    bigint        NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- The sidebar: one row per user per conversation they are or were in.
CREATE TABLE contacts (
    user_id                varchar(64)  NOT NULL,
    conversation_id        uuid         NOT NULL,
    counterpart_id         varchar(64),             -- direct conversations only
    last_message_seq       bigint,
    last_message_preview   text,
    last_message_sender    varchar(64),
    last_message_redacted  boolean      NOT NULL DEFAULT false,
    last_activity          timestamptz  NOT NULL,
    read_up_to             bigint       NOT NULL DEFAULT 0,
    unread_count           integer      NOT NULL DEFAULT 0,
    removed                boolean      NOT NULL DEFAULT false,
    last_event_seq         bigint       NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX contacts_by_activity ON contacts (user_id, last_activity DESC, conversation_id DESC);

CREATE TABLE user_profiles (
    user_id       varchar(64)  PRIMARY KEY,
    display_name  varchar(100) NOT NULL,
    avatar_url    varchar(500),
    role          varchar(16)  NOT NULL,   -- SEEKER, RECRUITER, COMPANY or OTHER
    updated_at    timestamptz  NOT NULL
);

CREATE TABLE job_links (
    conversation_id uuid          NOT NULL,
    job_id          varchar(64)   NOT NULL,
    title           varchar(200)  NOT NULL,
    linked_by       varchar(64)   NOT NULL,
    linked_at       timestamptz   NOT NULL,
    seq             bigint        NOT NULL,
    PRIMARY KEY (conversation_id, job_id)
);
