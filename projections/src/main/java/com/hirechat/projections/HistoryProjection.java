package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.MessageSent;

/** Keeps {@code message_history}: one row per message, keyed by conversation and seq. */
@ProcessingGroup(ProcessingGroups.HISTORY)
public final class HistoryProjection {

    private final Jdbi jdbi;

    public HistoryProjection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @EventHandler
    void on(MessageSent event) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO message_history
                            (conversation_id, seq, message_id, client_message_id, sender_id, text, sent_at)
                        VALUES (:conversation, :seq, :message, :client, :sender, :text, :sentAt)
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
}
