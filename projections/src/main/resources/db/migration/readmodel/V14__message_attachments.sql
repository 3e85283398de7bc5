-- The files each message carries (issue 26, docs/attachments.md), for the history and for who may download what:
-- one row per attachment of a message, in the message's order. Owned by the history projection; the bytes are in
-- attachment_blobs (event store side). A name whose key is gone is empty with erased true, like a text.
CREATE TABLE message_attachments (
    conversation_id uuid         NOT NULL,
    seq             bigint       NOT NULL,
    position        int          NOT NULL,
    sender_id       varchar(64)  NOT NULL,
    sha256          char(64)     NOT NULL,
    name            text         NOT NULL,
    size            bigint       NOT NULL,
    media_type      varchar(100) NOT NULL,
    erased          boolean      NOT NULL DEFAULT false,
    PRIMARY KEY (conversation_id, seq, position)
);
CREATE INDEX message_attachments_by_hash ON message_attachments (conversation_id, sha256);
CREATE INDEX message_attachments_by_sender ON message_attachments (sender_id);
