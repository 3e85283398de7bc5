package com.hirechat.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.projections.ConversationEventFeed;

/**
 * One client's view of one conversation: delivers each event exactly once and in seq order,
 * whether it comes from the replay of stored events or from the live tail.
 */
final class Subscription {

    private static final long NOTHING_YET = Long.MIN_VALUE;

    private final ConversationId conversation;
    private final Outbox outbox;
    private final ConversationEventFeed feed;
    private final Object lock = new Object();
    private final List<ConversationEvent> heldDuringReplay = new ArrayList<>();
    private long delivered;
    private boolean live;

    Subscription(ConversationId conversation, Outbox outbox, OptionalLong afterSeq, ConversationEventFeed feed) {
        this.conversation = conversation;
        this.outbox = outbox;
        this.feed = feed;
        this.delivered = afterSeq.orElse(NOTHING_YET);
    }

    ConversationId conversation() {
        return conversation;
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

    void replay(List<ConversationEvent> events) {
        synchronized (lock) {
            events.forEach(this::deliver);
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
        var frame = ServerFrame.of(event);
        if (frame != null) {
            outbox.send(frame);
        }
        delivered = event.seq();
    }
}
