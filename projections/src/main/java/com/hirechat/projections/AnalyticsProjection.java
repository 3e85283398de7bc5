package com.hirechat.projections;

import java.util.UUID;
import java.util.function.Consumer;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.jdbi.v3.core.statement.PreparedBatch;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserErased;

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
    private final ReadModelWrites.RowStatement insertMessages;
    private final ReadModelWrites.RowStatement countMessages;

    public AnalyticsProjection(ReadModelWrites writes) {
        this(writes, SCHEMA);
    }

    /** Writes the same tables in another schema, as a rebuild does beside the live ones. */
    public AnalyticsProjection(ReadModelWrites writes, String schema) {
        this.writes = writes;
        this.schema = schema;
        // a run of messages in one insert, each with its sender's role as the profiles have it now
        this.insertMessages = rowStatement("""
                INSERT INTO <analytics>.messages (conversation_id, seq, message_id, sender_id, sender_role, sent_at,
                                                  text_length, last_event_seq)
                SELECT sent.conversation_id, sent.seq, sent.message_id, sent.sender_id, profile.role, sent.sent_at,
                       sent.text_length, sent.seq
                  FROM unnest(CAST(:conversation AS uuid[]), CAST(:seq AS bigint[]), CAST(:message AS uuid[]),
                              :sender, CAST(:at AS timestamptz[]), CAST(:length AS integer[]))
                       AS sent(conversation_id, seq, message_id, sender_id, sent_at, text_length)
                  LEFT JOIN user_profiles profile ON profile.user_id = sent.sender_id
                ON CONFLICT DO NOTHING""", "conversation", "seq", "message", "sender", "at", "length");
        // a run of messages counted into each conversation's row at once, as counting them one by one would: a
        // message counts only if its seq is above the row's last_event_seq and every seq before it in the run (a
        // redelivered one does not); the recruiter side's first response is its first message after a seeker's.
        // The role is looked up per message by primary key: as a join, a plan cached while the table was small
        // (server-side prepared statement, no ANALYZE yet) scanned the whole table for every batch (docs/benchmarks.md).
        this.countMessages = rowStatement("""
                WITH sent AS (
                    SELECT sent.*,
                           (SELECT message.sender_role FROM <analytics>.messages message
                             WHERE message.conversation_id = sent.conversation_id AND message.seq = sent.seq) AS role,
                           max(sent.seq) OVER (PARTITION BY sent.conversation_id ORDER BY sent.position
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS highest_before
                      FROM unnest(CAST(:conversation AS uuid[]), CAST(:seq AS bigint[]), CAST(:at AS timestamptz[]))
                           WITH ORDINALITY AS sent(conversation_id, seq, sent_at, position)
                ), applied AS (
                    SELECT sent.*,
                           conversation.first_seeker_message_at IS NOT NULL
                               OR coalesce(bool_or(sent.role = 'SEEKER') OVER (
                                      PARTITION BY sent.conversation_id ORDER BY sent.position
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false) AS after_seeker
                      FROM sent
                      JOIN <analytics>.conversations conversation ON conversation.conversation_id = sent.conversation_id
                     WHERE sent.seq > conversation.last_event_seq
                       AND (sent.highest_before IS NULL OR sent.seq > sent.highest_before)
                ), counted AS (
                    SELECT conversation_id,
                           count(*) AS messages,
                           count(*) FILTER (WHERE role = 'SEEKER') AS seeker_messages,
                           count(*) FILTER (WHERE role IN ('RECRUITER', 'COMPANY')) AS recruiter_messages,
                           (array_agg(sent_at ORDER BY position) FILTER (WHERE role = 'SEEKER'))[1] AS first_seeker_at,
                           (array_agg(sent_at ORDER BY position)
                               FILTER (WHERE role IN ('RECRUITER', 'COMPANY') AND after_seeker))[1] AS response_at,
                           (array_agg(sent_at ORDER BY position DESC))[1] AS last_at,
                           max(seq) AS last_seq
                      FROM applied
                     GROUP BY conversation_id
                )
                UPDATE <analytics>.conversations c
                   SET message_count = message_count + counted.messages,
                       seeker_message_count = seeker_message_count + counted.seeker_messages,
                       recruiter_message_count = recruiter_message_count + counted.recruiter_messages,
                       first_seeker_message_at = coalesce(first_seeker_message_at, counted.first_seeker_at),
                       first_recruiter_response_at = coalesce(first_recruiter_response_at, counted.response_at),
                       first_response_seconds = CASE
                           WHEN first_recruiter_response_at IS NULL AND counted.response_at IS NOT NULL
                           THEN extract(epoch FROM (counted.response_at
                                                    - coalesce(first_seeker_message_at, counted.first_seeker_at)))
                           ELSE first_response_seconds END,
                       last_message_at = counted.last_at,
                       last_event_seq = counted.last_seq
                  FROM counted
                 WHERE c.conversation_id = counted.conversation_id""", "conversation", "seq", "at");
    }

    /** Queues {@code sql}, whose {@code <analytics>} is this projection's schema (a constant, never input). */
    private void queue(ReadModelTable table, String sql, Consumer<PreparedBatch> bind) {
        writes.queue(table, inSchema(sql), bind);
    }

    private ReadModelWrites.RowStatement rowStatement(String sql, String... columns) {
        return new ReadModelWrites.RowStatement(inSchema(sql), columns);
    }

    private String inSchema(String sql) {
        return sql.replace("<analytics>", schema);
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
        writes.queueRow(ReadModelTable.ANALYTICS_MESSAGES, insertMessages, event.conversationId().value(),
                event.seq(), event.messageId().value(), event.sentBy().value(), event.sentAt(),
                Erased.is(event.text()) ? 0 : event.text().codePointCount(0, event.text().length()));
        // reads the role of the row above, which the messages table (written first) holds by then
        writes.queueRow(ReadModelTable.ANALYTICS_CONVERSATIONS, countMessages, event.conversationId().value(),
                event.seq(), event.sentAt());
    }

    /** An erased user's messages keep their facts; their lengths go with the texts (0, as a rebuild reads them). */
    @EventHandler
    void on(UserErased event) {
        queue(ReadModelTable.ANALYTICS_MESSAGES, "UPDATE <analytics>.messages SET text_length = 0 WHERE sender_id = :user",
                statement -> statement.bind("user", event.userId().value()));
    }

    @EventHandler
    void on(com.hirechat.domain.ConversationExpired event) {
        queue(ReadModelTable.ANALYTICS_MESSAGES,
                "UPDATE <analytics>.messages SET text_length = 0 WHERE conversation_id = :conversation",
                statement -> statement.bind("conversation", java.util.UUID.fromString(event.conversationId().value())));
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
