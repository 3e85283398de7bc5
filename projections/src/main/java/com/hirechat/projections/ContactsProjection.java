package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.MessageSent;

/** Keeps {@code contacts}: each user's sidebar with last message, last activity and unread count. */
@ProcessingGroup(ProcessingGroups.CONTACTS)
public final class ContactsProjection {

    /** Characters of the last message shown in the sidebar. */
    static final int PREVIEW_LENGTH = 140;

    private final Jdbi jdbi;

    public ContactsProjection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @EventHandler
    void on(ConversationStarted event) {
        jdbi.useHandle(handle -> {
            var batch = handle.prepareBatch("""
                    INSERT INTO contacts (user_id, conversation_id, counterpart_id, last_activity, last_seq)
                    VALUES (:user, :conversation, :counterpart, :at, :seq)
                    ON CONFLICT DO NOTHING""");
            for (var user : event.participants()) {
                var counterpart = event.participants().stream().filter(other -> !other.equals(user)).findFirst();
                batch.bind("user", user.value())
                        .bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("counterpart", counterpart.map(Object::toString).orElse(null))
                        .bind("at", event.startedAt())
                        .bind("seq", event.seq())
                        .add();
            }
            batch.execute();
        });
    }

    @EventHandler
    void on(MessageSent event) {
        // the seq guard makes a redelivered event a no-op instead of a second unread increment
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE contacts
                           SET last_message_preview = :preview,
                               last_message_sender = :sender,
                               last_activity = :at,
                               last_seq = :seq,
                               unread_count = unread_count + CASE WHEN user_id = :sender THEN 0 ELSE 1 END
                         WHERE conversation_id = :conversation AND last_seq < :seq""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("preview", preview(event.text()))
                .bind("sender", event.sender().value())
                .bind("at", event.sentAt())
                .bind("seq", event.seq())
                .execute());
    }

    static String preview(String text) {
        var flat = text.strip().replaceAll("\\s+", " ");
        if (flat.codePointCount(0, flat.length()) <= PREVIEW_LENGTH) {
            return flat;
        }
        return flat.substring(0, flat.offsetByCodePoints(0, PREVIEW_LENGTH - 1)) + "…";
    }
}
