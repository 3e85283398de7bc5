package com.hirechat.web;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.UserId;

/**
 * Each user's inbox on this node: every event of every conversation they take part in, pushed to their sockets
 * that asked for it (see docs/protocol.md, "Inbox"). A live hint, not a log: there is no replay.
 *
 * <p>Events are handed over by the live tail, also on the command threads that committed them, so
 * {@link #offer} only queues them; one thread of its own fans them out. It never reads the database: who takes part
 * in what is loaded once per subscription (on the subscribing socket's thread, without holding the lock) and kept
 * up to date from the events themselves ({@code started}, {@code participant_added}, {@code participant_removed}).
 */
final class InboxHub implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InboxHub.class.getName());
    private static final int QUEUE_CAPACITY = 65_536;
    /** Conversations whose last seq is remembered to drop an event's second delivery (direct, then from the tail). */
    private static final int REMEMBERED_CONVERSATIONS = 16_384;

    /** Where one subscription's frames go: the socket's single writer. */
    interface Sink {
        boolean send(ServerFrame frame);
    }

    /** One socket's inbox. Its fields are guarded by the hub's lock. */
    static final class Subscription {
        private final UserId user;
        private final Sink sink;
        private final Set<ConversationId> conversations = new HashSet<>();
        /** While its conversations are being loaded: membership changes seen meanwhile, the latest per conversation. */
        private Map<ConversationId, Boolean> changedWhileLoading = new HashMap<>();

        private Subscription(UserId user, Sink sink) {
            this.user = user;
            this.sink = sink;
        }

        private boolean loading() {
            return changedWhileLoading != null;
        }
    }

    private final Function<UserId, Set<ConversationId>> currentConversations;
    private final Object lock = new Object();
    private final Map<UserId, Set<Subscription>> byUser = new HashMap<>();
    private final Map<ConversationId, Set<Subscription>> byConversation = new HashMap<>();
    private final Map<ConversationId, Long> lastSeq = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ConversationId, Long> eldest) {
            return size() > REMEMBERED_CONVERSATIONS;
        }
    };
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final BlockingQueue<ConversationEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final Thread fanOut;
    private volatile boolean overflowReported;

    /**
     * @param currentConversations the conversations a user takes part in now, from the participants read model
     *                             (written with the events, so never behind the event that a subscriber awaits)
     */
    InboxHub(Function<UserId, Set<ConversationId>> currentConversations) {
        this.currentConversations = currentConversations;
        this.fanOut = Thread.ofPlatform().daemon().name("inbox-fan-out").start(this::run);
    }

    /** A committed event, from any thread: only queued, so the committing thread pays for no subscriber. */
    void offer(ConversationEvent event) {
        // queued even while nobody listens: the fan-out then remembers the event's seq, so its second delivery (from
        // the tail, a moment later) is not taken for news by an inbox that opens meanwhile
        if (!queue.offer(event) && !overflowReported) {
            overflowReported = true;
            LOG.warning("the inbox fan-out fell " + QUEUE_CAPACITY + " events behind; inbox frames are being dropped "
                    + "(clients re-fetch their contacts when they reconnect)");
        }
    }

    /**
     * Starts pushing the user's events to {@code sink}. Reads the user's conversations (the caller's thread), then
     * calls {@code inPlace} under the lock, before any inbox frame can reach the sink: the moment to confirm it.
     */
    Subscription subscribe(UserId user, Sink sink, Runnable inPlace) {
        var subscription = new Subscription(user, sink);
        synchronized (lock) {
            // registered first, so a conversation joined or left while loading is not missed
            byUser.computeIfAbsent(user, any -> new HashSet<>()).add(subscription);
        }
        subscriptions.incrementAndGet();
        Set<ConversationId> loaded;
        try {
            loaded = currentConversations.apply(user);
        } catch (RuntimeException e) {
            unsubscribe(subscription);
            throw e;
        }
        synchronized (lock) {
            var changed = subscription.changedWhileLoading;
            subscription.changedWhileLoading = null;
            loaded.forEach(conversation -> {
                if (!changed.containsKey(conversation)) {
                    join(subscription, conversation);
                }
            });
            // what happened after the read started overrides what the read saw
            changed.forEach((conversation, member) -> {
                if (member) {
                    join(subscription, conversation);
                }
            });
            inPlace.run();
        }
        return subscription;
    }

    void unsubscribe(Subscription subscription) {
        synchronized (lock) {
            var mine = byUser.get(subscription.user);
            if (mine == null || !mine.remove(subscription)) {
                return;
            }
            if (mine.isEmpty()) {
                byUser.remove(subscription.user);
            }
            List.copyOf(subscription.conversations).forEach(conversation -> leave(subscription, conversation));
        }
        subscriptions.decrementAndGet();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var event = queue.take();
                try {
                    synchronized (lock) {
                        publish(event);
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, e, () -> "inbox fan-out of " + event.conversationId() + "#" + event.seq()
                            + " failed");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs under the lock; only touches memory and queues frames (never blocks on a client). */
    private void publish(ConversationEvent event) {
        var conversation = event.conversationId();
        var last = lastSeq.get(conversation);
        if (last != null && event.seq() <= last) {
            return; // its second delivery, or one overtaken by a later event
        }
        lastSeq.put(conversation, event.seq());
        switch (event) {
            case ConversationStarted started -> started.participants().forEach(user -> joined(user, conversation));
            case ConversationEvents.ParticipantAdded added -> joined(added.participant(), conversation);
            default -> {
            }
        }
        var members = byConversation.get(conversation);
        if (members != null) {
            var inner = event instanceof ConversationStarted started ? ServerFrame.Started.of(started)
                    : ServerFrame.of(event);
            var frame = new ServerFrame.Inbox(conversation.value(), inner);
            List.copyOf(members).forEach(subscription -> subscription.sink.send(frame));
        }
        if (event instanceof ConversationEvents.ParticipantRemoved removed) {
            // they got the frame about their own removal; nothing after it is theirs
            forEachOf(removed.participant(), subscription -> {
                if (subscription.loading()) {
                    subscription.changedWhileLoading.put(conversation, false);
                } else {
                    leave(subscription, conversation);
                }
            });
        }
    }

    private void joined(UserId user, ConversationId conversation) {
        forEachOf(user, subscription -> {
            if (subscription.loading()) {
                subscription.changedWhileLoading.put(conversation, true);
            } else {
                join(subscription, conversation);
            }
        });
    }

    private void forEachOf(UserId user, java.util.function.Consumer<Subscription> action) {
        var mine = byUser.get(user);
        if (mine != null) {
            List.copyOf(mine).forEach(action);
        }
    }

    private void join(Subscription subscription, ConversationId conversation) {
        if (subscription.conversations.add(conversation)) {
            byConversation.computeIfAbsent(conversation, any -> new HashSet<>()).add(subscription);
        }
    }

    private void leave(Subscription subscription, ConversationId conversation) {
        subscription.conversations.remove(conversation);
        var members = byConversation.get(conversation);
        if (members != null && members.remove(subscription) && members.isEmpty()) {
            byConversation.remove(conversation);
        }
    }

    /** Inbox subscriptions on this node. */
    int subscriptionCount() {
        return subscriptions.get();
    }

    @Override
    public void close() {
        fanOut.interrupt();
    }
}
