-- A group's timeline of who joined and left after its start (GET /api/conversations/{id}, "membership").
-- Written by the participants projection, in the same transaction as the events, like conversation_participants.
-- Empty for changes stored before this migration: `rebuild participants` fills it from the event store.
CREATE TABLE membership_changes (
    conversation_id uuid         NOT NULL,
    seq             bigint       NOT NULL,
    user_id         varchar(64)  NOT NULL,
    change          varchar(8)   NOT NULL,  -- added or removed
    changed_by      varchar(64)  NOT NULL,
    changed_at      timestamptz  NOT NULL,
    PRIMARY KEY (conversation_id, seq)
);
