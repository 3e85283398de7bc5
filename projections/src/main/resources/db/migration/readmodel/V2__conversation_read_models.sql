-- Read models of conversations. Built by projections from the event store and rebuildable from it.
-- Migration versions are one sequence across modules: V1 event store (infra), V2+ here or there, never reused.

-- Written in the same transaction as the events (subscribing processor): access checks never lag the event store.
CREATE TABLE conversation_participants (
    conversation_id uuid        NOT NULL,
    user_id         varchar(64) NOT NULL,
    joined_seq      bigint      NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_participants_by_user ON conversation_participants (user_id);

-- One row per message, current text, keyset-paginated by seq.
CREATE TABLE message_history (
    conversation_id   uuid          NOT NULL,
    seq               bigint        NOT NULL,
    message_id        uuid          NOT NULL UNIQUE,
    client_message_id varchar(64)   NOT NULL,
    sender_id         varchar(64)   NOT NULL,
    text              text          NOT NULL,
    sent_at           timestamptz   NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);

-- The sidebar: one row per user per conversation.
CREATE TABLE contacts (
    user_id               varchar(64)  NOT NULL,
    conversation_id       uuid         NOT NULL,
    counterpart_id        varchar(64),
    last_message_preview  text,
    last_message_sender   varchar(64),
    last_activity         timestamptz  NOT NULL,
    last_seq              bigint       NOT NULL,
    unread_count          integer      NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE INDEX contacts_by_activity ON contacts (user_id, last_activity DESC, conversation_id DESC);
