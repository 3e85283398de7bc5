-- Crypto-shredding (docs/compliance.md#erasure). Personal fields of events are sealed under data keys kept here,
-- each wrapped by the master key (HIRECHAT_MASTER_KEY) named by master_key_id. Destroying a key deletes its wrapped
-- bytes; the row stays as a tombstone (whose key, when, by which request) holding no personal data.
CREATE TABLE data_keys (
    key_id               uuid         PRIMARY KEY,
    subject_kind         varchar(16)  NOT NULL,   -- MESSAGES (a person's words in one conversation) or PROFILE
    user_id              varchar(64)  NOT NULL,
    conversation_id      uuid,                    -- MESSAGES only
    wrapped_key          bytea,                   -- null once destroyed
    master_key_id        varchar(16),             -- null once destroyed
    created_at           timestamptz  NOT NULL DEFAULT now(),
    destroyed_at         timestamptz,
    destroyed_by_request uuid,
    CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL)),
    CHECK ((subject_kind = 'MESSAGES') = (conversation_id IS NOT NULL))
);
-- at most one live key per subject, also when two nodes create one at once
CREATE UNIQUE INDEX data_keys_one_live_per_subject
    ON data_keys (subject_kind, user_id, coalesce(conversation_id, '00000000-0000-0000-0000-000000000000'))
    WHERE wrapped_key IS NOT NULL;
CREATE INDEX data_keys_by_user ON data_keys (user_id);
CREATE INDEX data_keys_by_conversation ON data_keys (conversation_id);
-- each node looks up the latest destruction about once a second, to forget keys destroyed elsewhere
CREATE INDEX data_keys_by_destruction ON data_keys (destroyed_at) WHERE destroyed_at IS NOT NULL;

-- Every erasure, recorded before any key is destroyed: one that did not complete (a crash) is resumed at start.
CREATE TABLE erasure_requests (
    request_id    uuid          PRIMARY KEY,
    subject_kind  varchar(16)   NOT NULL,   -- USER
    subject_id    varchar(64)   NOT NULL,
    requested_by  varchar(64)   NOT NULL,
    reason        text          NOT NULL,
    requested_at  timestamptz   NOT NULL,
    completed_at  timestamptz
);
CREATE INDEX erasure_requests_incomplete ON erasure_requests (requested_at) WHERE completed_at IS NULL;
