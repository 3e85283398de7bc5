-- Attachments (issue 26, docs/attachments.md). The bytes of each file, content-addressed by the SHA-256 of the
-- plaintext within (conversation, owner), cut into chunks, each sealed (AES-256-GCM) under the owner's data key for
-- that conversation: the key of their texts there, so erasure and retention make files unreadable with the texts.
CREATE TABLE attachment_blobs (
    blob_id          uuid         PRIMARY KEY,
    conversation_id  uuid         NOT NULL,
    owner_id         varchar(64)  NOT NULL,
    sha256           char(64)     NOT NULL,
    size             bigint       NOT NULL CHECK (size > 0),
    chunks           int          NOT NULL,
    key_id           uuid         NOT NULL,
    stored_at        timestamptz  NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, owner_id, sha256)
);
CREATE INDEX attachment_blobs_by_owner ON attachment_blobs (owner_id);

-- Chunks are written as the upload streams in, each on its own short statement; they belong to a file only once its
-- attachment_blobs row commits (after the last byte, the hash and the checks). Chunks without that row are an upload
-- in progress or one that failed: a failed upload deletes its own, and a start removes any left by a crash.
CREATE TABLE attachment_chunks (
    blob_id     uuid         NOT NULL,
    chunk_no    int          NOT NULL,
    nonce       bytea        NOT NULL,
    ciphertext  bytea        NOT NULL,
    written_at  timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (blob_id, chunk_no)
);
-- ciphertext does not compress: store it out of line without trying
ALTER TABLE attachment_chunks ALTER COLUMN ciphertext SET STORAGE EXTERNAL;

-- What each user uploaded into each conversation, under which (sanitised) name: what their messages may carry.
CREATE TABLE attachment_uploads (
    conversation_id  uuid          NOT NULL,
    uploader_id      varchar(64)   NOT NULL,
    sha256           char(64)      NOT NULL,
    name             text          NOT NULL,
    size             bigint        NOT NULL,
    media_type       varchar(100)  NOT NULL,
    uploaded_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, uploader_id, sha256)
);
CREATE INDEX attachment_uploads_by_uploader ON attachment_uploads (uploader_id);
