package com.hirechat.infra.notify;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.axonframework.config.ProcessingGroup;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;

import com.hirechat.domain.ConversationEvents.MessagesRead;
import com.hirechat.domain.ConversationEvents.ParticipantRemoved;
import com.hirechat.domain.MessageSent;

/**
 * One conversation's unread messages, per recipient, waiting for a digest (docs/notifications.md). A message starts a
 * deadline for each other participant who has none running; a read that covers a recipient's unread messages cancels
 * theirs; when it fires, one digest of everything still unread is recorded (and its sending scheduled) in the same
 * transaction as this saga's new state. Stored by Axon's {@code JdbcSagaStore}, deadlines in db-scheduler's table.
 */
@ProcessingGroup(UnreadDigestSaga.PROCESSOR)
public class UnreadDigestSaga {

    /** The saga's tracking processor: one segment, so one node of many handles its events. */
    public static final String PROCESSOR = "notifications";
    static final String DEADLINE = "unread-digest";

    /** What a recipient has not read yet and when it becomes a digest. */
    record Pending(long fromSeq, long upToSeq, String deadlineId, long dueAtMillis) {
    }

    /** The deadline's payload: whose unread messages it is about. */
    record DigestDue(String recipient) {
    }

    private String conversationId;
    private Map<String, Pending> pending = new HashMap<>();

    private transient DigestPlanner planner;
    private transient DeadlineManager deadlines;

    /** Resources, set by the saga's resource injector on every load ({@link NotificationWiring}). */
    void use(DigestPlanner planner, DeadlineManager deadlines) {
        this.planner = planner;
        this.deadlines = deadlines;
    }

    @StartSaga
    @SagaEventHandler(associationProperty = "conversationId")
    public void on(MessageSent event) {
        conversationId = event.conversationId().value();
        var sender = event.sentBy().value();
        // writing in the conversation is reading it: the sender's own unread messages need no digest
        read(sender, event.seq());
        var now = planner.now();
        for (var recipient : planner.recipients(event.conversationId(), event.seq())) {
            if (recipient.equals(sender)) {
                continue;
            }
            var waiting = pending.get(recipient);
            if (waiting != null && !planner.lost(Instant.ofEpochMilli(waiting.dueAtMillis()), now)) {
                // one digest for the whole batch: the running deadline will cover this message too
                pending.put(recipient, new Pending(waiting.fromSeq(), event.seq(), waiting.deadlineId(),
                        waiting.dueAtMillis()));
                continue;
            }
            if (waiting != null) {
                // its deadline is long past due and the batch still waits: it fired on another node while this one
                // kept an older state of the saga (the saga store does not lock across nodes). Start over with a new
                // deadline, and cancel the old one in case it is only late.
                deadlines.cancelSchedule(DEADLINE, waiting.deadlineId());
            }
            var due = planner.dueAt(recipient, event.sentAt(), now);
            var id = deadlines.schedule(due, DEADLINE, new DigestDue(recipient));
            var from = waiting == null ? event.seq() : waiting.fromSeq();
            pending.put(recipient, new Pending(from, event.seq(), id, due.toEpochMilli()));
        }
        endIfIdle();
    }

    @SagaEventHandler(associationProperty = "conversationId")
    public void on(MessagesRead event) {
        read(event.reader().value(), event.upToSeq());
        endIfIdle();
    }

    @SagaEventHandler(associationProperty = "conversationId")
    public void on(ParticipantRemoved event) {
        var waiting = pending.remove(event.participant().value());
        if (waiting != null) {
            deadlines.cancelSchedule(DEADLINE, waiting.deadlineId());
        }
        endIfIdle();
    }

    @DeadlineHandler(deadlineName = DEADLINE)
    public void on(DigestDue due) {
        var recipient = due.recipient();
        var waiting = pending.get(recipient);
        if (waiting == null) {
            return; // read, or recorded already by an earlier run of this deadline
        }
        var allowed = planner.allowedAt(recipient, planner.now());
        if (allowed.isPresent()) {
            // quiet hours: the same batch waits for their end
            var id = deadlines.schedule(allowed.get(), DEADLINE, due);
            pending.put(recipient, new Pending(waiting.fromSeq(), waiting.upToSeq(), id, allowed.get().toEpochMilli()));
            return;
        }
        pending.remove(recipient);
        planner.record(conversationId, recipient, waiting.fromSeq(), waiting.upToSeq());
        endIfIdle();
    }

    /**
     * Nobody's batch is waiting: the saga ends (its rows are deleted) and the conversation's next message starts a new
     * one, so the saga store holds conversations with unread batches only, not every conversation ever written in.
     */
    private void endIfIdle() {
        if (pending.isEmpty()) {
            SagaLifecycle.end();
        }
    }

    private void read(String reader, long upToSeq) {
        var waiting = pending.get(reader);
        if (waiting == null) {
            return;
        }
        if (upToSeq >= waiting.upToSeq()) {
            pending.remove(reader);
            deadlines.cancelSchedule(DEADLINE, waiting.deadlineId());
        } else if (upToSeq >= waiting.fromSeq()) {
            pending.put(reader, new Pending(upToSeq + 1, waiting.upToSeq(), waiting.deadlineId(), waiting.dueAtMillis()));
        }
    }
}
