-- Offline email digests (docs/notifications.md).

-- Axon's JdbcSagaStore (PostgresSagaSqlSchema, table names set in infra.notify.NotificationWiring): the
-- UnreadDigestSaga of each conversation, and the conversation id it is associated with.
CREATE TABLE saga_entry (
    sagaId          varchar(255) NOT NULL PRIMARY KEY,
    revision        varchar(255),
    sagaType        varchar(255),
    serializedSaga  bytea
);
CREATE TABLE association_value_entry (
    id                bigserial    PRIMARY KEY,
    associationKey    varchar(255) NOT NULL,
    associationValue  varchar(255),
    sagaType          varchar(255),
    sagaId            varchar(255) NOT NULL
);
CREATE INDEX association_value_entry_lookup ON association_value_entry (sagaType, associationKey, associationValue);
CREATE INDEX association_value_entry_saga ON association_value_entry (sagaId, sagaType);

-- Each user's notification settings: the address the host site registered, sealed under the user's profile key
-- (so an erasure, which destroys that key, makes it unreadable at once; the row is deleted as well), and the
-- preferences the user chose.
CREATE TABLE notification_settings (
    user_id          varchar(64)  PRIMARY KEY,
    email_key_id     varchar(100),
    email_nonce      bytea,
    email_sealed     bytea,
    email_digests    boolean      NOT NULL DEFAULT true,
    delay_minutes    int,                      -- null: the server's default (HIRECHAT_NOTIFY_DELAY)
    quiet_start      time,
    quiet_end        time,
    time_zone        varchar(64)  NOT NULL DEFAULT 'UTC',
    updated_at       timestamptz  NOT NULL
);

-- One row per digest: a recipient's unread messages of one conversation up to a seq. The unique key is what makes
-- a digest never recorded twice (a deadline run again after a crash, two nodes); the row is the send's record.
CREATE TABLE digests (
    digest_id        uuid         PRIMARY KEY,
    conversation_id  uuid         NOT NULL,
    recipient        varchar(64)  NOT NULL,
    from_seq         bigint       NOT NULL,
    up_to_seq        bigint       NOT NULL,
    recorded_at      timestamptz  NOT NULL,
    status           varchar(16)  NOT NULL,   -- PENDING, SENT, FAILED (not retried), SKIPPED
    reason           text,                    -- why FAILED or SKIPPED, or the last transient error while PENDING
    attempts         int          NOT NULL DEFAULT 0,
    sent_at          timestamptz,
    UNIQUE (conversation_id, recipient, up_to_seq)
);
CREATE INDEX digests_by_recipient ON digests (recipient, recorded_at DESC);
