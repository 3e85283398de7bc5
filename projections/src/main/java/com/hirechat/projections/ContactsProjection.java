package com.hirechat.projections;

import java.util.UUID;
import java.util.regex.Pattern;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents.JobLinked;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantAdded;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.Erased;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserErased;

/**
 * Keeps {@code contacts}: each user's sidebar with last message, last activity, read position and unread count.
 * Every handler touches only rows whose {@code last_event_seq} is below the event's seq, then raises it.
 */
@ProcessingGroup(ProcessingGroups.READ_MODELS)
public final class ContactsProjection {

    /** Characters of the last message shown in the sidebar. */
    static final int PREVIEW_LENGTH = 140;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private final ReadModelWrites writes;

    public ContactsProjection(ReadModelWrites writes) {
        this.writes = writes;
    }

    @EventHandler
    void on(ConversationStarted event) {
        for (var user : event.participants()) {
            var counterpart = event.kind() == ConversationKind.DIRECT
                    ? event.participants().stream().filter(other -> !other.equals(user)).findFirst()
                            .map(Object::toString).orElse(null)
                    : null;
            join(event, user.value(), counterpart, event.startedAt());
        }
    }

    @EventHandler
    void on(ParticipantAdded event) {
        touch(event);
        join(event, event.participant().value(), null, event.addedAt());
    }

    @EventHandler
    void on(ParticipantRemoved event) {
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET removed = true, last_event_seq = :seq
                         WHERE conversation_id = :conversation AND user_id = :user AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("user", event.participant().value())
                        .bind("seq", event.seq()));
        touch(event);
    }

    /**
     * A run of messages in one update that changes each member's row once, as applying them one by one would: a
     * message counts only if its seq is above the row's last_event_seq and above every seq before it in the run (a
     * redelivered one is not), an applied message from someone else is unread, and the run's highest seq is shown.
     */
    private static final ReadModelWrites.RowStatement MESSAGES_SENT = new ReadModelWrites.RowStatement("""
            WITH sent AS (
                SELECT *, max(seq) OVER (PARTITION BY conversation_id ORDER BY position
                                         ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS highest_before
                  FROM unnest(CAST(:conversation AS uuid[]), CAST(:seq AS bigint[]), :preview, :sender,
                              CAST(:at AS timestamptz[]), CAST(:erased AS boolean[])) WITH ORDINALITY
                       AS sent(conversation_id, seq, preview, sender, sent_at, erased, position)
            ), latest AS (
                SELECT DISTINCT ON (conversation_id) * FROM sent ORDER BY conversation_id, seq DESC
            )
            UPDATE contacts
               SET last_message_seq = latest.seq,
                   last_message_preview = latest.preview,
                   last_message_sender = latest.sender,
                   last_message_redacted = false,
                   last_message_erased = latest.erased,
                   last_activity = latest.sent_at,
                   unread_count = unread_count + (SELECT count(*) FROM sent
                                                   WHERE sent.conversation_id = contacts.conversation_id
                                                     AND sent.seq > contacts.last_event_seq
                                                     AND (sent.highest_before IS NULL
                                                          OR sent.seq > sent.highest_before)
                                                     AND sent.sender <> contacts.user_id),
                   last_event_seq = latest.seq
              FROM latest
             WHERE contacts.conversation_id = latest.conversation_id AND NOT removed
               AND contacts.last_event_seq < latest.seq""",
            "conversation", "seq", "preview", "sender", "at", "erased");

    @EventHandler
    void on(MessageSent event) {
        writes.queueRow(ReadModelTable.CONTACTS, MESSAGES_SENT, event.conversationId().value(), event.seq(),
                preview(event.text()), event.sentBy().value(), event.sentAt(), Erased.is(event.text()));
    }

    /** The sidebar forgets what the user wrote: a preview of theirs is gone, the line says so. */
    @EventHandler
    void on(UserErased event) {
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET last_message_preview = NULL, last_message_erased = true
                         WHERE last_message_sender = :user""",
                statement -> statement.bind("user", event.userId().value()));
    }

    @EventHandler
    void on(com.hirechat.domain.ConversationExpired event) {
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET last_message_preview = NULL, last_message_erased = true
                         WHERE conversation_id = :conversation AND last_message_preview IS NOT NULL""",
                statement -> statement.bind("conversation", java.util.UUID.fromString(event.conversationId().value())));
    }

    @EventHandler
    void on(MessageEdited event) {
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET last_message_preview = :preview, last_message_erased = :erased
                         WHERE conversation_id = :conversation AND last_message_seq = :messageSeq
                           AND NOT removed AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("preview", preview(event.text()))
                        .bind("erased", Erased.is(event.text()))
                        .bind("messageSeq", event.messageSeq())
                        .bind("seq", event.seq()));
        touch(event);
    }

    @EventHandler
    void on(MessageRedacted event) {
        // a removed message no longer counts as unread for whoever had not read it (history, written before
        // contacts in every batch, tells whose it was: one's own never counted)
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts
                           SET unread_count = greatest(unread_count - 1, 0)
                         WHERE conversation_id = :conversation AND read_up_to < :messageSeq AND unread_count > 0
                           AND NOT removed AND last_event_seq < :seq
                           AND EXISTS (SELECT 1 FROM message_history h
                                        WHERE h.conversation_id = contacts.conversation_id AND h.seq = :messageSeq
                                          AND h.sender_id <> contacts.user_id)""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("messageSeq", event.messageSeq())
                        .bind("seq", event.seq()));
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET last_message_preview = NULL, last_message_redacted = true
                         WHERE conversation_id = :conversation AND last_message_seq = :messageSeq
                           AND NOT removed AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("messageSeq", event.messageSeq())
                        .bind("seq", event.seq()));
        touch(event);
    }

    @EventHandler
    void on(MessagesRead event) {
        // counts the history as it is at this event: written now, after everything before it and before the rest
        // (history is built by this same processor, so it holds every message up to this event)
        writes.now(handle -> handle.createUpdate("""
                        UPDATE contacts
                           SET read_up_to = :upTo,
                               unread_count = (SELECT count(*) FROM message_history h
                                                WHERE h.conversation_id = contacts.conversation_id
                                                  AND h.seq > :upTo AND h.sender_id <> :reader
                                                  AND h.redacted_at IS NULL)
                         WHERE conversation_id = :conversation AND user_id = :reader AND last_event_seq < :seq""")
                .bind("conversation", uuid(event))
                .bind("reader", event.reader().value())
                .bind("upTo", event.upToSeq())
                .bind("seq", event.seq())
                .execute());
        touch(event);
    }

    @EventHandler
    void on(JobLinked event) {
        touch(event);
    }

    private void join(ConversationEvent event, String user, String counterpart, java.time.Instant at) {
        writes.queue(ReadModelTable.CONTACTS, """
                        INSERT INTO contacts (user_id, conversation_id, counterpart_id, last_activity, read_up_to,
                                              last_event_seq)
                        VALUES (:user, :conversation, :counterpart, :at, :seq, :seq)
                        ON CONFLICT (user_id, conversation_id) DO UPDATE
                            SET removed = false, last_activity = excluded.last_activity,
                                read_up_to = excluded.read_up_to, unread_count = 0,
                                last_event_seq = excluded.last_event_seq
                            WHERE contacts.last_event_seq < excluded.last_event_seq""",
                statement -> statement
                        .bind("user", user)
                        .bind("conversation", uuid(event))
                        .bind("counterpart", counterpart)
                        .bind("at", at)
                        .bind("seq", event.seq()));
    }

    /** Records that every current member's row has seen this event, so the API's lastSeq is a safe resume point. */
    private void touch(ConversationEvent event) {
        writes.queue(ReadModelTable.CONTACTS, """
                        UPDATE contacts SET last_event_seq = :seq
                         WHERE conversation_id = :conversation AND NOT removed AND last_event_seq < :seq""",
                statement -> statement
                        .bind("conversation", uuid(event))
                        .bind("seq", event.seq()));
    }

    private static UUID uuid(ConversationEvent event) {
        return UUID.fromString(event.conversationId().value());
    }

    /** The sidebar's preview: the text flattened and shortened; none for an erased text. */
    static String preview(String text) {
        if (Erased.is(text)) {
            return null;
        }
        var flat = WHITESPACE.matcher(text.strip()).replaceAll(" ");
        if (flat.codePointCount(0, flat.length()) <= PREVIEW_LENGTH) {
            return flat;
        }
        return flat.substring(0, flat.offsetByCodePoints(0, PREVIEW_LENGTH - 1)) + "…";
    }
}
