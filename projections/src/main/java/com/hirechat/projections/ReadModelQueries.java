package com.hirechat.projections;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/** The queries the API serves from the read models. */
public final class ReadModelQueries {

    private final Jdbi jdbi;

    public ReadModelQueries(Jdbi jdbi) {
        this.jdbi = jdbi;
        jdbi.registerRowMapper(ConstructorMapper.factory(HistoryMessage.class));
        jdbi.registerRowMapper(ConstructorMapper.factory(Contact.class));
    }

    public boolean isParticipant(ConversationId conversation, UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM conversation_participants
                                        WHERE conversation_id = :conversation AND user_id = :user)""")
                .bind("conversation", uuid(conversation))
                .bind("user", user.value())
                .mapTo(Boolean.class)
                .one());
    }

    /** Newest first: messages with seq below {@code beforeSeq} (all when absent), at most {@code limit}. */
    public List<HistoryMessage> history(ConversationId conversation, Optional<Long> beforeSeq, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id::text AS conversation_id, seq, message_id::text AS message_id,
                               client_message_id, sender_id, text, sent_at
                          FROM message_history
                         WHERE conversation_id = :conversation AND seq < :before
                         ORDER BY seq DESC
                         LIMIT :limit""")
                .bind("conversation", uuid(conversation))
                .bind("before", beforeSeq.orElse(Long.MAX_VALUE))
                .bind("limit", limit)
                .mapTo(HistoryMessage.class)
                .list());
    }

    /** Most recent activity first, strictly after the cursor position when one is given. */
    public List<Contact> contacts(UserId user, Optional<ContactsCursor> after, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id::text AS conversation_id, counterpart_id, last_message_preview,
                               last_message_sender AS last_message_sender_id, last_activity, last_seq, unread_count
                          FROM contacts
                         WHERE user_id = :user
                           AND (last_activity, conversation_id) < (:activity, :conversation)
                         ORDER BY last_activity DESC, conversation_id DESC
                         LIMIT :limit""")
                .bind("user", user.value())
                .bind("activity", after.map(ContactsCursor::lastActivity).orElse(Instant.parse("9999-12-31T00:00:00Z")))
                .bind("conversation", after.map(c -> UUID.fromString(c.conversationId()))
                        .orElse(new UUID(-1L, -1L)))
                .bind("limit", limit)
                .mapTo(Contact.class)
                .list());
    }

    private static UUID uuid(ConversationId conversation) {
        return UUID.fromString(conversation.value());
    }
}
