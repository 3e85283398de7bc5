package com.hirechat.infra.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * What {@link UnreadDigestSaga} asks outside itself: who receives a message, when a recipient's digest is due, and
 * recording a digest. Recording writes on the unit of work's connection, so the digest row, its send task and the
 * saga's new state commit together.
 */
class DigestPlanner {

    /** A deadline this far past due while its batch is still waiting was lost (see docs/notifications.md). */
    static final Duration LOST_AFTER = Duration.ofMinutes(1);

    private final Jdbi reads;
    private final Jdbi unitOfWork;
    private final NotificationStore store;
    private final Duration defaultDelay;
    private final Clock clock;

    DigestPlanner(Jdbi reads, Jdbi unitOfWork, NotificationStore store, Duration defaultDelay, Clock clock) {
        this.reads = reads;
        this.unitOfWork = unitOfWork;
        this.store = store;
        this.defaultDelay = defaultDelay;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /** The participants of the conversation when the message at {@code seq} was sent. */
    List<String> recipients(ConversationId conversation, long seq) {
        // the participants projection commits with the command's events, so this is never behind the message
        return reads.withHandle(h -> h.createQuery("""
                        SELECT user_id FROM conversation_participants
                        WHERE conversation_id = CAST(:conversation AS uuid) AND joined_seq <= :seq
                          AND (left_seq IS NULL OR left_seq > :seq)""")
                .bind("conversation", conversation.value()).bind("seq", seq)
                .mapTo(String.class).list());
    }

    boolean lost(Instant dueAt, Instant now) {
        return dueAt.plus(LOST_AFTER).isBefore(now);
    }

    /** When the digest of a message sent at {@code sentAt} is due for the recipient: their delay, past quiet hours. */
    Instant dueAt(String recipient, Instant sentAt, Instant now) {
        var preferences = store.preferences(UserId.of(recipient));
        var due = sentAt.plus(preferences.delay(defaultDelay));
        return preferences.nextAllowed(due.isBefore(now) ? now : due);
    }

    /** When the recipient's quiet hours end, if they are quiet at {@code now}. */
    Optional<Instant> allowedAt(String recipient, Instant now) {
        var next = store.preferences(UserId.of(recipient)).nextAllowed(now);
        return next.isAfter(now) ? Optional.of(next) : Optional.empty();
    }

    /**
     * Records one digest of the recipient's messages {@code fromSeq..upToSeq} and schedules its sending. Both inserts
     * do nothing when the digest exists: a deadline run again after a crash, or on another node, records nothing twice.
     */
    void record(String conversation, String recipient, long fromSeq, long upToSeq) {
        var id = digestId(conversation, recipient, upToSeq);
        unitOfWork.useHandle(h -> {
            var inserted = h.createUpdate("""
                            INSERT INTO digests (digest_id, conversation_id, recipient, from_seq, up_to_seq, recorded_at,
                                                 status)
                            VALUES (:id, CAST(:conversation AS uuid), :recipient, :from, :upTo, :now, 'PENDING')
                            ON CONFLICT DO NOTHING""")
                    .bind("id", id).bind("conversation", conversation).bind("recipient", recipient)
                    .bind("from", fromSeq).bind("upTo", upToSeq).bind("now", now().atOffset(java.time.ZoneOffset.UTC))
                    .execute();
            if (inserted == 1) {
                DigestSender.scheduleInTransaction(h, id, now());
            }
        });
    }

    /** The same batch always has the same id, and so the same Message-ID. */
    static UUID digestId(String conversation, String recipient, long upToSeq) {
        return UUID.nameUUIDFromBytes(("digest|" + conversation + "|" + recipient + "|" + upToSeq)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
