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
    private final FrameSink outbox;
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
    Subscription(ConversationId conversation, UserId user, FrameSink outbox, OptionalLong afterSeq,
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

    /**
     * A live event, from the tail or this node's own commits. An event that skips ahead of what was delivered (the
     * tail was reopened, or this node's commits overtook another node's) first has the hole filled from the store;
     * that read runs without the lock, so the other paths into this subscription (typing, the replay, other live
     * events) never wait for the database. Whatever arrives meanwhile is dropped or delivered by its seq: each
     * event still goes out once, in seq order.
     */
    void offerLive(ConversationEvent event) {
        long holeAfter;
        synchronized (lock) {
            if (!live) {
                heldDuringReplay.add(event);
                return;
            }
            if (ended || delivered != NOTHING_YET && event.seq() <= delivered) {
                return;
            }
            if (delivered == NOTHING_YET || event.seq() == delivered + 1) {
                send(event);
                return;
            }
            holeAfter = delivered;
        }
        var missing = feed.read(conversation, holeAfter); // every seq up to this committed event is stored
        synchronized (lock) {
            for (var stored : missing) {
                if (stored.seq() > delivered && stored.seq() <= event.seq()) {
                    send(stored);
                }
            }
            if (event.seq() == delivered + 1) {
                send(event); // in case the read came back short of it
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
                outbox.closeForBacklog();
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

    /**
     * Ends the catch-up: the events held meanwhile go out in seq order, through {@link #offerLive} like any later
     * one. A live event that arrives before they do sees them as a hole and fills it from the store.
     */
    void goLive() {
        List<ConversationEvent> held;
        synchronized (lock) {
            held = new ArrayList<>(heldDuringReplay);
            heldDuringReplay.clear();
            live = true;
        }
        held.sort(Comparator.comparingLong(ConversationEvent::seq));
        held.forEach(this::offerLive);
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
