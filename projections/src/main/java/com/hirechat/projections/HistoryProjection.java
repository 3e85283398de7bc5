package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.MessageSent;

/** Keeps {@code message_history}: one row per message with its current text, keyed by conversation and seq. */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
public final class HistoryProjection {

    private final Jdbi jdbi;

    public HistoryProjection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @EventHandler
    void on(MessageSent event) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO message_history (conversation_id, seq, message_id, client_message_id, sender_id,
                                                     text, sent_at, last_event_seq)
                        VALUES (:conversation, :seq, :message, :client, :sender, :text, :sentAt, :seq)
                        ON CONFLICT DO NOTHING""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("seq", event.seq())
                .bind("message", UUID.fromString(event.messageId().value()))
                .bind("client", event.clientMessageId().value())
                .bind("sender", event.sender().value())
                .bind("text", event.text())
                .bind("sentAt", event.sentAt())
                .execute());
    }

    @EventHandler
    void on(MessageEdited event) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE message_history SET text = :text, edited_at = :at, last_event_seq = :seq
                         WHERE conversation_id = :conversation AND seq = :messageSeq AND last_event_seq < :seq""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("messageSeq", event.messageSeq())
                .bind("text", event.text())
                .bind("at", event.editedAt())
                .bind("seq", event.seq())
                .execute());
    }

    @EventHandler
    void on(MessageRedacted event) {
        // participants see a placeholder; the text stays only in the event store, for compliance
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE message_history
                           SET text = '', redacted_at = :at, redacted_by = :by, last_event_seq = :seq
                         WHERE conversation_id = :conversation AND seq = :messageSeq AND last_event_seq < :seq""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("messageSeq", event.messageSeq())
                .bind("at", event.redactedAt())
                .bind("by", event.redactedBy().value())
                .bind("seq", event.seq())
                .execute());
    }
}
