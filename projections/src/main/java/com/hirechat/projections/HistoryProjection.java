package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserErased;

/** Keeps {@code message_history}: one row per message with its current text, keyed by conversation and seq. */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
public final class HistoryProjection {

    private final ReadModelWrites writes;

    public HistoryProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    /** A run of messages in one insert; a message stored before (a redelivery) is left as it is. */
    private static final ReadModelWrites.RowStatement INSERT_MESSAGES = new ReadModelWrites.RowStatement("""
            INSERT INTO message_history (conversation_id, seq, message_id, client_message_id, sender_id, text, sent_at,
                                         erased, last_event_seq)
            SELECT conversation_id, seq, message_id, client_message_id, sender_id, text, sent_at, erased, seq
              FROM unnest(CAST(:conversation AS uuid[]), CAST(:seq AS bigint[]), CAST(:message AS uuid[]), :client,
                          :sender, :text, CAST(:sentAt AS timestamptz[]), CAST(:erased AS boolean[]))
                   AS sent(conversation_id, seq, message_id, client_message_id, sender_id, text, sent_at, erased)
            ON CONFLICT DO NOTHING""",
            "conversation", "seq", "message", "client", "sender", "text", "sentAt", "erased");

    @EventHandler
    void on(MessageSent event) {
        writes.queueRow(ReadModelTable.HISTORY, INSERT_MESSAGES, event.conversationId().value(), event.seq(),
                event.messageId().value(), event.clientMessageId().value(), event.sentBy().value(),
                shown(event.text()), event.sentAt(), Erased.is(event.text()));
        var position = 0;
        for (var attachment : event.attachments()) {
            var at = position++;
            writes.queue(ReadModelTable.ATTACHMENTS, """
                            INSERT INTO message_attachments (conversation_id, seq, position, sender_id, sha256, name, size,
                                                             media_type, erased)
                            VALUES (:conversation, :seq, :position, :sender, :sha256, :name, :size, :type, :erased)
                            ON CONFLICT DO NOTHING""",
                    statement -> statement
                            .bind("conversation", UUID.fromString(event.conversationId().value()))
                            .bind("seq", event.seq())
                            .bind("position", at)
                            .bind("sender", event.sentBy().value())
                            .bind("sha256", attachment.sha256())
                            .bind("name", shown(attachment.name()))
                            .bind("size", attachment.size())
                            .bind("type", attachment.type())
                            .bind("erased", Erased.is(attachment.name())));
        }
    }

    /** What the history keeps of a text: the text, or nothing once its key is gone (the row says {@code erased}). */
    private static String shown(String text) {
        return Erased.is(text) ? "" : text;
    }

    @EventHandler
    void on(MessageEdited event) {
        writes.queue(ReadModelTable.HISTORY, """
                        UPDATE message_history SET text = :text, erased = :erased, edited_at = :at,
                                                   last_event_seq = :seq
                         WHERE conversation_id = :conversation AND seq = :messageSeq AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("messageSeq", event.messageSeq())
                        .bind("text", shown(event.text()))
                        .bind("erased", Erased.is(event.text()))
                        .bind("at", event.editedAt())
                        .bind("seq", event.seq()));
    }

    /**
     * Every text the user wrote is gone with their keys: the rows keep their place, ids and times. A rebuild reads those
     * texts as erased already, so it arrives at the same rows.
     */
    @EventHandler
    void on(UserErased event) {
        writes.queue(ReadModelTable.HISTORY, "UPDATE message_history SET text = '', erased = true WHERE sender_id = :user",
                statement -> statement.bind("user", event.userId().value()));
        writes.queue(ReadModelTable.ATTACHMENTS,
                "UPDATE message_attachments SET name = '', erased = true WHERE sender_id = :user",
                statement -> statement.bind("user", event.userId().value()));
    }

    @EventHandler
    void on(com.hirechat.domain.ConversationExpired event) {
        // retention destroyed every key of the conversation: all its texts are placeholders, whoever wrote them
        writes.queue(ReadModelTable.HISTORY,
                "UPDATE message_history SET text = '', erased = true WHERE conversation_id = :conversation",
                statement -> statement.bind("conversation", UUID.fromString(event.conversationId().value())));
        writes.queue(ReadModelTable.ATTACHMENTS,
                "UPDATE message_attachments SET name = '', erased = true WHERE conversation_id = :conversation",
                statement -> statement.bind("conversation", UUID.fromString(event.conversationId().value())));
    }

    @EventHandler
    void on(MessageRedacted event) {
        // participants see a placeholder; the text stays only in the event store, for compliance
        writes.queue(ReadModelTable.HISTORY, """
                        UPDATE message_history
                           SET text = '', redacted_at = :at, redacted_by = :by, last_event_seq = :seq
                         WHERE conversation_id = :conversation AND seq = :messageSeq AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("messageSeq", event.messageSeq())
                        .bind("at", event.redactedAt())
                        .bind("by", event.redactedBy().value())
                        .bind("seq", event.seq()));
        // a removed message's files go with its text: nobody downloads them through the history any more
        writes.queue(ReadModelTable.ATTACHMENTS,
                "DELETE FROM message_attachments WHERE conversation_id = :conversation AND seq = :messageSeq",
                statement -> statement
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("messageSeq", event.messageSeq()));
    }
}
