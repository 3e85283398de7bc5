package com.hirechat.web;

import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.feed.ConversationEventFeed;

/** Who on this node listens to which conversation, fed by the live tail of the event store. */
final class RoomHub {

    private final ConversationEventFeed feed;
    private final ConcurrentHashMap<ConversationId, Set<Subscription>> rooms = new ConcurrentHashMap<>();

    RoomHub(ConversationEventFeed feed) {
        this.feed = feed;
    }

    /** Begins pushing this node's share of live events; call once. */
    void start() {
        start(event -> {
        });
    }

    /** Begins pushing this node's share of live events, handing each also to {@code next}; call once. */
    void start(Consumer<ConversationEvent> next) {
        feed.tail(event -> {
            try {
                publish(event);
            } finally {
                next.accept(event);
            }
        });
    }

    /**
     * Subscribes the outbox to a conversation. With {@code afterSeq}, every stored event after it is sent first,
     * then live ones, with no gap and no duplicate at the seam; without, every event stored after {@code inPlace}
     * runs. {@code inPlace} runs once the subscription receives events and before anything is sent to the outbox:
     * the moment to confirm it to the client.
     */
    Subscription subscribe(ConversationId conversation, UserId user, FrameSink outbox, OptionalLong afterSeq,
                           Runnable inPlace, Consumer<Subscription> onRemoved) {
        var subscription = new Subscription(conversation, user, outbox, afterSeq, feed, onRemoved);
        rooms.compute(conversation, (id, members) -> {
            var set = members == null ? ConcurrentHashMap.<Subscription>newKeySet() : members;
            set.add(subscription);
            return set;
        });
        try {
            // registered before reading history: live events arriving meanwhile are held, not lost
            if (afterSeq.isPresent()) {
                inPlace.run();
                feed.replay(conversation, afterSeq.getAsLong(), subscription::replay);
            } else {
                // "from now" is after the last stored event: a live event can overtake an older one (this node's
                // own commits arrive directly, other nodes' through the tail), so the first to arrive cannot mark
                // the start. Confirmed only after that: a client that sends (or tells another to) on the
                // confirmation must see what it sent.
                subscription.startAfter(feed.lastSeq(conversation));
                inPlace.run();
            }
        } catch (RuntimeException e) {
            // the client gets an error for this subscribe, so nothing may keep flowing to it
            unsubscribe(subscription);
            throw e;
        }
        subscription.goLive();
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        rooms.computeIfPresent(subscription.conversation(), (id, members) -> {
            members.remove(subscription);
            return members.isEmpty() ? null : members;
        });
    }

    int subscriptionCount() {
        return rooms.values().stream().mapToInt(Set::size).sum();
    }

    /** Shows "typing" to this node's other subscribers of the conversation. */
    void typing(ConversationId conversation, UserId typist) {
        var members = rooms.get(conversation);
        if (members != null) {
            var frame = new ServerFrame.Typing(conversation.value(), typist.value());
            members.stream()
                    .filter(subscription -> !subscription.user().equals(typist))
                    .forEach(subscription -> subscription.offerEphemeral(frame));
        }
    }

    private void publish(ConversationEvent event) {
        var members = rooms.get(event.conversationId());
        if (members != null) {
            members.forEach(subscription -> subscription.offerLive(event));
        }
    }
}
