package com.hirechat.projections;

import java.util.UUID;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationEvents.ParticipantAdded;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;
import com.hirechat.domain.ConversationStarted;

/** Keeps {@code conversation_participants}: who may read and subscribe to which conversation, and up to where. */
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
    }
}
