package com.hirechat.projections;

import java.time.Instant;
import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationEvents.ParticipantAdded;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;
import com.hirechat.domain.ConversationStarted;

/**
 * Keeps {@code conversation_participants} (who may read and subscribe to which conversation, and up to where) and
 * {@code membership_changes} (who joined and left a group after its start, for its timeline).
 */
@ProcessingGroup(ProcessingGroups.PARTICIPANTS)
public final class ParticipantsProjection {

    private final Jdbi jdbi;

    public ParticipantsProjection(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @EventHandler
    void on(ConversationStarted event) {
        jdbi.useHandle(handle -> {
            var batch = handle.prepareBatch("""
                    INSERT INTO conversation_participants (conversation_id, user_id, joined_seq)
                    VALUES (:conversation, :user, :seq)
                    ON CONFLICT DO NOTHING""");
            for (var user : event.participants()) {
                batch.bind("conversation", UUID.fromString(event.conversationId().value()))
                        .bind("user", user.value())
                        .bind("seq", event.seq())
                        .add();
            }
            batch.execute();
        });
    }

    @EventHandler
    void on(ParticipantAdded event) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO conversation_participants (conversation_id, user_id, joined_seq)
                        VALUES (:conversation, :user, :seq)
                        ON CONFLICT (conversation_id, user_id) DO UPDATE
                            SET joined_seq = excluded.joined_seq, left_seq = NULL
                            WHERE conversation_participants.joined_seq < excluded.joined_seq""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("user", event.participant().value())
                .bind("seq", event.seq())
                .execute());
        recordChange(event.conversationId().value(), event.seq(), event.participant().value(), "added",
                event.addedBy().value(), event.addedAt());
    }

    @EventHandler
    void on(ParticipantRemoved event) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE conversation_participants SET left_seq = :seq
                         WHERE conversation_id = :conversation AND user_id = :user AND joined_seq < :seq""")
                .bind("conversation", UUID.fromString(event.conversationId().value()))
                .bind("user", event.participant().value())
                .bind("seq", event.seq())
                .execute());
        recordChange(event.conversationId().value(), event.seq(), event.participant().value(), "removed",
                event.removedBy().value(), event.removedAt());
    }

    private void recordChange(String conversation, long seq, String user, String change, String by, Instant at) {
        // keyed by seq: a redelivered event finds its row and changes nothing
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO membership_changes (conversation_id, seq, user_id, change, changed_by, changed_at)
                        VALUES (:conversation, :seq, :user, :change, :by, :at)
                        ON CONFLICT DO NOTHING""")
                .bind("conversation", UUID.fromString(conversation))
                .bind("seq", seq)
                .bind("user", user)
                .bind("change", change)
                .bind("by", by)
                .bind("at", at)
                .execute());
    }
}
