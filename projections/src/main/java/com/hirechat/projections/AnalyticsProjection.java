package com.hirechat.projections;

import java.util.UUID;
import java.util.function.Consumer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.statement.PreparedBatch;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.MessageSent;

/**
 * Keeps the {@code analytics} schema for analysts (docs/analytics.md): message facts without texts and one row
 * per conversation with counts and the recruiter side's first response time. Roles come from the profiles
 * known when the event is applied (same processor as the directory, so in event order).
 */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
public final class AnalyticsProjection {

    /** The schema of the live tables. */
    public static final String SCHEMA = "analytics";

    private final ReadModelWrites writes;
    private final String schema;

    public AnalyticsProjection(ReadModelWrites writes) {
        this(writes, SCHEMA);
    }

    /** Writes the same tables in another schema, as a rebuild does beside the live ones. */
    public AnalyticsProjection(ReadModelWrites writes, String schema) {
        this.writes = writes;
        this.schema = schema;
    }

    /** Queues {@code sql}, whose {@code <analytics>} is this projection's schema (a constant, never input). */
    private void queue(ReadModelTable table, String sql, Consumer<PreparedBatch> bind) {
        writes.queue(table, sql.replace("<analytics>", schema), bind);
    }

    @EventHandler
    void on(ConversationStarted event) {
        queue(ReadModelTable.ANALYTICS_CONVERSATIONS, """
                        INSERT INTO <analytics>.conversations (conversation_id, kind, started_at, started_by,
                                                             started_by_role, participant_count, last_event_seq)
                        VALUES (:conversation, :kind, :at, :by,
                                (SELECT role FROM user_profiles WHERE user_id = :by), :participants, :seq)
                        ON CONFLICT DO NOTHING""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("kind", event.kind().name())
                        .bind("at", event.startedAt())
                        .bind("by", event.startedBy().value())
                        .bind("participants", event.participants().size())
                        .bind("seq", event.seq()));
    }

    @EventHandler
    void on(MessageSent event) {
        queue(ReadModelTable.ANALYTICS_MESSAGES, """
                        INSERT INTO <analytics>.messages (conversation_id, seq, message_id, sender_id, sender_role,
                                                            sent_at, text_length, last_event_seq)
                            VALUES (:conversation, :seq, :message, :sender,
                                    (SELECT role FROM user_profiles WHERE user_id = :sender), :at, :length, :seq)
                        ON CONFLICT DO NOTHING""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("seq", event.seq())
                        .bind("message", UUID.fromString(event.messageId().value()))
                        .bind("sender", event.sender().value())
                        .bind("at", event.sentAt())
                        .bind("length", event.text().codePointCount(0, event.text().length())));
        // reads the role of the row above, which the messages table (written first) holds by then;
        // a redelivered message finds its conversation's last_event_seq already there and counts nothing
        queue(ReadModelTable.ANALYTICS_CONVERSATIONS, """
                            UPDATE <analytics>.conversations c
                               SET message_count = message_count + 1,
                                   seeker_message_count = seeker_message_count + CASE WHEN m.role = 'SEEKER' THEN 1 ELSE 0 END,
                                   recruiter_message_count = recruiter_message_count
                                       + CASE WHEN m.role IN ('RECRUITER', 'COMPANY') THEN 1 ELSE 0 END,
                                   first_seeker_message_at = CASE WHEN m.role = 'SEEKER'
                                       THEN coalesce(first_seeker_message_at, :at) ELSE first_seeker_message_at END,
                                   first_recruiter_response_at = CASE
                                       WHEN m.role IN ('RECRUITER', 'COMPANY') AND first_seeker_message_at IS NOT NULL
                                            AND first_recruiter_response_at IS NULL THEN :at
                                       ELSE first_recruiter_response_at END,
                                   first_response_seconds = CASE
                                       WHEN m.role IN ('RECRUITER', 'COMPANY') AND first_seeker_message_at IS NOT NULL
                                            AND first_recruiter_response_at IS NULL
                                       THEN extract(epoch FROM (CAST(:at AS timestamptz) - first_seeker_message_at))
                                       ELSE first_response_seconds END,
                                   last_message_at = :at,
                                   last_event_seq = :seq
                              FROM (SELECT sender_role AS role FROM <analytics>.messages
                                     WHERE conversation_id = :conversation AND seq = :seq) m
                             WHERE c.conversation_id = :conversation AND c.last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("at", event.sentAt())
                        .bind("seq", event.seq()));
    }

    @EventHandler
    void on(ConversationEvents.MessageEdited event) {
        flag("edited", event, event.messageSeq());
    }

    @EventHandler
    void on(ConversationEvents.MessageRedacted event) {
        flag("redacted", event, event.messageSeq());
    }

    @EventHandler
    void on(ConversationEvents.JobLinked event) {
        queue(ReadModelTable.ANALYTICS_CONVERSATIONS, """
                        UPDATE <analytics>.conversations
                           SET first_job_id = coalesce(first_job_id, :job), job_count = job_count + 1,
                               last_event_seq = :seq
                         WHERE conversation_id = :conversation AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("job", event.job().jobId())
                        .bind("seq", event.seq()));
    }

    @EventHandler
    void on(ConversationEvents.ParticipantAdded event) {
        changeParticipants(event, 1);
    }

    @EventHandler
    void on(ConversationEvents.ParticipantRemoved event) {
        changeParticipants(event, -1);
    }

    private void changeParticipants(ConversationEvent event, int delta) {
        queue(ReadModelTable.ANALYTICS_CONVERSATIONS, """
                        UPDATE <analytics>.conversations
                           SET participant_count = participant_count + :delta, last_event_seq = :seq
                         WHERE conversation_id = :conversation AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("delta", delta)
                        .bind("seq", event.seq()));
    }

    private void flag(String column, ConversationEvent event, long messageSeq) {
        // column is one of two constants above, never input
        queue(ReadModelTable.ANALYTICS_MESSAGES, "UPDATE <analytics>.messages SET " + column + " = true, last_event_seq = :seq"
                        + " WHERE conversation_id = :conversation AND seq = :messageSeq AND last_event_seq < :seq",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("messageSeq", messageSeq)
                        .bind("seq", event.seq()));
    }

    private static UUID uuid(ConversationEvent event) {
        return UUID.fromString(event.conversationId().value());
    }
}
