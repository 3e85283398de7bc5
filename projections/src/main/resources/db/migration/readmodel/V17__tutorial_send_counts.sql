-- The tutorial's page sends every message twice without a client id: once as the Socket.IO event send_message, once
-- as POST /api/messages. Each channel counts, per sender, conversation and text, how many such messages it carried;
-- the k-th of one channel and the k-th of the other derive the same clientMessageId, so the send's own idempotency
-- (message_ledger's unique key) stores them once, in either order and across restarts (docs/migrating-from-the-tutorial.md).
-- text_hash is an HMAC-SHA256 of the text (128 bits, Base64url) under the sender's data key for the conversation, not
-- the text nor a plain digest of it: the sender's erasure (or the conversation's expiry) destroys the key, and with it
-- any way to tie a row to a guessed text. The rows stay: they keep a later same text from reusing an earlier id.
CREATE TABLE tutorial_send_counts (
    conversation_id uuid        NOT NULL,
    sender          varchar(64) NOT NULL,
    text_hash       varchar(64) NOT NULL,
    channel         varchar(16) NOT NULL,
    sent            bigint      NOT NULL,
    PRIMARY KEY (conversation_id, sender, text_hash, channel)
);
