-- The message ledger (MessageLedger): every message a conversation accepted, by sender and client id and by message
-- id, and the messages redacted. The aggregate remembers only its latest messages and looks older ones up here.
-- Rows are written by the same INSERT statement as their events (SingleStatementAppend), so the ledger holds exactly
-- the committed events: never one more, never one fewer. Like the event table: never update or delete its rows.

CREATE TABLE message_ledger (
    conversation_id    varchar(255) NOT NULL,
    message_id         varchar(255) NOT NULL,
    sender             varchar(255) NOT NULL,
    client_message_id  varchar(255) NOT NULL,
    seq                bigint       NOT NULL,
    sent_at            timestamptz  NOT NULL,
    PRIMARY KEY (conversation_id, message_id),
    -- a retry that the aggregate did not recognise is refused here, and then answered with the original
    CONSTRAINT message_ledger_one_per_client_id UNIQUE (conversation_id, sender, client_message_id)
);

CREATE TABLE message_ledger_redactions (
    conversation_id  varchar(255) NOT NULL,
    message_id       varchar(255) NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);

-- the messages stored before this migration, as their events say: MessageSent revision 1 names its sender
-- `sender`, revision 2 `sentBy`
INSERT INTO message_ledger (conversation_id, message_id, sender, client_message_id, seq, sent_at)
SELECT aggregate_identifier, p ->> 'messageId', COALESCE(p ->> 'sentBy', p ->> 'sender'), p ->> 'clientMessageId',
       sequence_number,
       (p ->> 'sentAt')::timestamptz
FROM (SELECT aggregate_identifier, sequence_number, global_index, convert_from(payload, 'UTF8')::jsonb AS p
      FROM domain_event_entry WHERE payload_type = 'com.hirechat.domain.MessageSent') sent
ORDER BY global_index
ON CONFLICT DO NOTHING;

INSERT INTO message_ledger_redactions (conversation_id, message_id)
SELECT aggregate_identifier, convert_from(payload, 'UTF8')::jsonb ->> 'messageId'
FROM domain_event_entry WHERE payload_type = 'com.hirechat.domain.ConversationEvents$MessageRedacted'
ON CONFLICT DO NOTHING;
