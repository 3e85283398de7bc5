package com.hirechat.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.feed.ConversationEventFeed;

/**
 * One client's view of one conversation: delivers each event exactly once and in seq order,
 * whether it comes from the replay of stored events or from the live tail.
 */
final class Subscription {

    private static final long NOTHING_YET = Long.MIN_VALUE;
    private static final int MAX_HELD_DURING_REPLAY = 10_000;
    private static final Duration REPLAY_PATIENCE = Duration.ofSeconds(10);

    private final ConversationId conversation;
    private final UserId user;
    private final Outbox outbox;
    private final Consumer<Subscription> onRemoved;
    private final ConversationEventFeed feed;
    private final Object lock = new Object();
    private final List<ConversationEvent> heldDuringReplay = new ArrayList<>();
    private long delivered;
    private boolean live;

    private boolean ended;

    /**
     * @param onRemoved called once when the stream reaches this user's own removal from the conversation:
     *                  nothing after it is theirs to see
     */
    Subscription(ConversationId conversation, UserId user, Outbox outbox, OptionalLong afterSeq,
                 ConversationEventFeed feed, Consumer<Subscription> onRemoved) {
        this.conversation = conversation;
        this.user = user;
        this.outbox = outbox;
        this.onRemoved = onRemoved;
        this.feed = feed;
        this.delivered = afterSeq.orElse(NOTHING_YET);
    }

    ConversationId conversation() {
        return conversation;
    }

    boolean isEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    UserId user() {
        return user;
    }

    /** An ephemeral frame (typing) that takes no place in the sequence. */
    void offerEphemeral(ServerFrame frame) {
        synchronized (lock) {
            if (live && !ended) {
                outbox.send(frame);
            }
        }
    }

    void offerLive(ConversationEvent event) {
        synchronized (lock) {
            if (live) {
                deliver(event);
            } else {
                heldDuringReplay.add(event);
            }
        }
    }

    /**
     * One stored event of the catch-up, called on the subscribing client's own thread. It waits for room in the
     * client's queue instead of overflowing it, without holding the lock the live tail needs.
     */
    void replay(ConversationEvent event) {
        synchronized (lock) {
            if (ended || event.seq() <= delivered || !outbox.isOpen()) {
                return;
            }
            if (heldDuringReplay.size() > MAX_HELD_DURING_REPLAY) {
                // the client reads slower than the conversation moves: it resumes later from what it has
                outbox.close(Outbox.CLOSE_BACKLOG_EXCEEDED, "backlog exceeded; reconnect and resume with afterSeq");
                return;
            }
        }
        var frame = ServerFrame.of(event);
        if (frame != null && !outbox.sendWaiting(frame, REPLAY_PATIENCE)) {
            return;
        }
        synchronized (lock) {
            delivered = event.seq();
            endIfRemoved(event);
        }
    }

    /** Without a resume point: everything after {@code seq} is this subscription's, in order and without gaps. */
    void startAfter(long seq) {
        synchronized (lock) {
            if (delivered == NOTHING_YET) {
                delivered = seq;
            }
        }
    }

    void goLive() {
        synchronized (lock) {
            heldDuringReplay.sort(Comparator.comparingLong(ConversationEvent::seq));
            heldDuringReplay.forEach(this::deliver);
            heldDuringReplay.clear();
            live = true;
        }
    }

    private void deliver(ConversationEvent event) {
        if (ended) {
            return;
        }
        if (delivered != NOTHING_YET) {
            if (event.seq() <= delivered) {
                return;
            }
            if (event.seq() > delivered + 1) {
                // the tail skipped ahead of us (e.g. it was reopened): fill the hole from the store first
                feed.read(conversation, delivered).stream()
                        .filter(missing -> missing.seq() < event.seq())
                        .forEach(this::send);
            }
        }
        send(event);
    }

    private void send(ConversationEvent event) {
        if (ended) {
            return;
        }
        var frame = ServerFrame.of(event);
        if (frame != null) {
            outbox.send(frame);
        }
        delivered = event.seq();
        endIfRemoved(event);
    }

    private void endIfRemoved(ConversationEvent event) {
        if (event instanceof ConversationEvents.ParticipantRemoved removed && removed.participant().equals(user)) {
            ended = true;
            onRemoved.accept(this);
        }
    }
}
