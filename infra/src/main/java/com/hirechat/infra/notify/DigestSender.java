package com.hirechat.infra.notify;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.hirechat.domain.UserId;

/**
 * Sends one recorded digest: db-scheduler's one-time task {@value #TASK}, one instance per digest (its id), run by one
 * node. A server that is down or refuses for now is a failure db-scheduler retries with exponential back-off (capped at
 * {@link #MAX_BACKOFF}, never given up: the digest stays {@code PENDING}); an address the server refuses for good is
 * {@code FAILED} with the reason and not retried; a recipient who turned digests off, has no address or was erased is
 * {@code SKIPPED}. Marked {@code SENT} after the server accepted it (see docs/notifications.md for the window between).
 */
final class DigestSender {

    /** The task's name in {@code scheduled_tasks}. */
    static final String TASK = "hirechat-digest-send";
    static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Logger LOG = Logger.getLogger(DigestSender.class.getName());

    private final Jdbi jdbi;
    private final NotificationStore store;
    private final MailOutbox outbox;
    private final InternetAddress from;
    private final UnsubscribeTokens unsubscribe;
    private final Optional<URI> publicUrl;
    private final java.util.function.Supplier<URI> ownUrl;
    private final boolean includeText;
    private final Clock clock;

    DigestSender(Jdbi jdbi, NotificationStore store, MailOutbox outbox, InternetAddress from,
                 UnsubscribeTokens unsubscribe, Optional<URI> publicUrl, java.util.function.Supplier<URI> ownUrl,
                 boolean includeText, Clock clock) {
        this.jdbi = jdbi;
        this.store = store;
        this.outbox = outbox;
        this.from = from;
        this.unsubscribe = unsubscribe;
        this.publicUrl = publicUrl;
        this.ownUrl = ownUrl;
        this.includeText = includeText;
        this.clock = clock;
    }

    /**
     * Schedules the digest's sending in the caller's transaction, so it commits with the digest's row or not at all.
     * db-scheduler's client would write on a connection of its own, and a crash between the two commits would leave a
     * recorded digest nobody sends; this inserts the row its client would (its documented table), for a task whose
     * instance id carries everything and whose data is empty.
     */
    static void scheduleInTransaction(Handle handle, UUID digest, Instant at) {
        handle.createUpdate("""
                        INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)
                        VALUES (:task, :instance, NULL, :at, false, 1)
                        ON CONFLICT DO NOTHING""")
                .bind("task", TASK).bind("instance", digest.toString()).bind("at", at.atOffset(ZoneOffset.UTC))
                .execute();
    }

    /** Doubles the wait after each failure, from the configured back-off up to an hour; never gives up. */
    record Backoff(Duration first) implements FailureHandler<Void> {

        @Override
        public void onFailure(ExecutionComplete complete, ExecutionOperations<Void> operations) {
            var failures = complete.getExecution().consecutiveFailures + 1;
            var wait = first.multipliedBy(1L << Math.min(failures - 1, 20));
            if (wait.compareTo(MAX_BACKOFF) > 0) {
                wait = MAX_BACKOFF;
            }
            operations.reschedule(complete, complete.getTimeDone().plus(wait));
        }
    }

    private record Row(String conversation, String recipient, long fromSeq, long upToSeq, String status) {
    }

    void send(UUID id) {
        var row = jdbi.withHandle(h -> h.createQuery("""
                        SELECT conversation_id::text, recipient, from_seq, up_to_seq, status FROM digests
                        WHERE digest_id = :id""")
                .bind("id", id)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5)))
                .findOne());
        if (row.isEmpty() || !row.get().status().equals("PENDING")) {
            return; // sent, failed or skipped already: a second run of the task sends nothing
        }
        var digest = row.get();
        var user = UserId.of(digest.recipient());
        if (!store.preferences(user).emailDigests()) {
            finish(id, "SKIPPED", "digests turned off");
            return;
        }
        String to;
        switch (store.address(user)) {
            case NotificationStore.Address.Present present -> to = present.email();
            case NotificationStore.Address.Missing missing -> {
                finish(id, "SKIPPED", "no address");
                return;
            }
            case NotificationStore.Address.Erased erased -> {
                finish(id, "SKIPPED", "erased");
                return;
            }
        }
        var content = content(id, digest);
        if (content.messages() == 0) {
            if (!historyReached(digest)) {
                // the history read model lags the events by a moment: try again rather than mail an empty digest
                throw new IllegalStateException("the history has not reached seq " + digest.upToSeq() + " yet");
            }
            finish(id, "SKIPPED", "nothing left to tell: the messages were removed");
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("UPDATE digests SET attempts = attempts + 1 WHERE digest_id = :id")
                .bind("id", id).execute());
        try {
            var url = publicUrl.orElseGet(ownUrl);
            var message = DigestMail.compose(outbox.session(), from, to, content, url, unsubscribe.sign(user));
            outbox.send(message);
        } catch (AddressException e) {
            finish(id, "FAILED", "invalid address: " + e.getMessage());
            return;
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                finish(id, "FAILED", "address refused: " + e.getMessage());
                return;
            }
            throw retry(id, e);
        } catch (MessagingException e) {
            throw retry(id, e);
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE digests SET status = 'SENT', sent_at = :now, reason = NULL WHERE digest_id = :id""")
                .bind("id", id).bind("now", clock.instant().atOffset(ZoneOffset.UTC)).execute());
    }

    private boolean historyReached(Row digest) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM message_history WHERE conversation_id = CAST(:c AS uuid)
                                       AND seq >= :upTo)""")
                .bind("c", digest.conversation()).bind("upTo", digest.upToSeq()).mapTo(Boolean.class).one());
    }

    private RuntimeException retry(UUID id, MessagingException e) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE digests SET reason = :reason WHERE digest_id = :id")
                .bind("id", id).bind("reason", "retrying: " + e.getMessage()).execute());
        LOG.log(Level.WARNING, "digest " + id + " not sent, retried later: " + e.getMessage());
        return new IllegalStateException("SMTP refused or unreachable: " + e.getMessage(), e);
    }

    private void finish(UUID id, String status, String reason) {
        LOG.info(() -> "digest " + id + " " + status.toLowerCase(java.util.Locale.ROOT) + ": " + reason);
        jdbi.useHandle(h -> h.createUpdate("UPDATE digests SET status = :status, reason = :reason WHERE digest_id = :id")
                .bind("id", id).bind("status", status).bind("reason", reason).execute());
    }

    /** The batch as the read models show it now: who wrote (their names), which jobs, how many, the texts if asked. */
    private DigestMail.Content content(UUID id, Row digest) {
        return jdbi.withHandle(h -> {
            record Message(String sender, String name, String text, boolean gone) {
            }
            var messages = h.createQuery("""
                            SELECT m.sender_id, p.display_name, m.text, (m.redacted_at IS NOT NULL OR m.erased) AS gone
                            FROM message_history m LEFT JOIN user_profiles p ON p.user_id = m.sender_id
                            WHERE m.conversation_id = CAST(:conversation AS uuid) AND m.seq BETWEEN :from AND :upTo
                              AND m.sender_id <> :recipient
                            ORDER BY m.seq""")
                    .bind("conversation", digest.conversation()).bind("from", digest.fromSeq())
                    .bind("upTo", digest.upToSeq()).bind("recipient", digest.recipient())
                    .map((rs, ctx) -> new Message(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)))
                    .list().stream().filter(message -> !message.gone()).toList();
            var senders = messages.stream().map(Message::sender).distinct().toList();
            var names = messages.stream().map(message -> message.name() == null ? "Someone" : message.name())
                    .distinct().toList();
            List<String> jobs = h.createQuery("""
                            SELECT title FROM job_links WHERE conversation_id = CAST(:conversation AS uuid) ORDER BY seq""")
                    .bind("conversation", digest.conversation()).mapTo(String.class).list();
            var direct = h.createQuery("SELECT kind FROM conversations WHERE conversation_id = CAST(:c AS uuid)")
                    .bind("c", digest.conversation()).mapTo(String.class).findOne().map("DIRECT"::equals).orElse(false);
            var texts = includeText ? messages.stream().map(Message::text).toList() : List.<String>of();
            return new DigestMail.Content(id, digest.conversation(), direct, senders, names, jobs, messages.size(),
                    texts);
        });
    }
}
