package com.hirechat.projections.feed;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.json.JacksonSerializer;

import com.hirechat.commands.DomainJson;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.EventHash;
import com.hirechat.projections.ChainVerification;
import com.hirechat.projections.ReserializedStoredEvents;
import com.hirechat.projections.StoredEvent;
import com.hirechat.projections.StoredEvents;

/**
 * Conversation events straight from the event store: the committed history of one conversation,
 * and a live tail of everything committed from now on, with this node's own commits handed over directly.
 * Only committed events are ever seen, so nothing pushed to a client can later turn out not to exist.
 */
public final class ConversationEventFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConversationEventFeed.class.getName());

    private final EventStore eventStore;
    private final StoredEvents storedEvents;
    private volatile boolean running;
    private volatile Consumer<ConversationEvent> liveListener;
    private Thread tail;

    /** Stored events are read back through the store with the project's event serializer. */
    public ConversationEventFeed(EventStore eventStore) {
        this(eventStore, new ReserializedStoredEvents(eventStore,
                JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build()));
    }

    /** {@code storedEvents} reads the rows themselves, for chain verification and exports. */
    public ConversationEventFeed(EventStore eventStore, StoredEvents storedEvents) {
        this.eventStore = eventStore;
        this.storedEvents = storedEvents;
    }

    /** Events of one conversation with seq greater than {@code afterSeq}, in order. */
    public List<ConversationEvent> read(ConversationId conversation, long afterSeq) {
        var events = new java.util.ArrayList<ConversationEvent>();
        replay(conversation, afterSeq, events::add);
        return events;
    }

    /** Streams the events of one conversation after {@code afterSeq} in order, fetched in batches: constant memory. */
    public void replay(ConversationId conversation, long afterSeq, Consumer<ConversationEvent> consumer) {
        var stream = eventStore.readEvents(conversation.value(), afterSeq + 1);
        while (stream.hasNext()) {
            if (stream.next().getPayload() instanceof ConversationEvent event) {
                consumer.accept(event);
            }
        }
    }

    /** The seq of the conversation's last stored event, or -1 when it has none. */
    public long lastSeq(ConversationId conversation) {
        var last = eventStore.lastSequenceNumberFor(conversation.value());
        if (last.isEmpty()) {
            return -1;
        }
        var seq = -1L;
        var stream = eventStore.readEvents(conversation.value(), last.get());
        while (stream.hasNext()) {
            if (stream.next().getPayload() instanceof ConversationEvent event) {
                seq = event.seq();
            }
        }
        return seq;
    }

    /** Recomputes the conversation's tamper-evidence chain from the stored events. */
    public ChainVerification verify(ConversationId conversation) {
        return ChainVerification.of(storedEvents, conversation);
    }

    /**
     * Streams the conversation's stored events in order, each with the hash stored with the event before it
     * ({@link EventHash#GENESIS} for the first): the inputs of every link, for exports an auditor checks.
     */
    public void replayChained(ConversationId conversation, BiConsumer<StoredEvent, String> consumer) {
        try (var events = storedEvents.read(conversation)) {
            var previous = new String[] {EventHash.GENESIS};
            events.forEachOrdered(stored -> {
                consumer.accept(stored, previous[0]);
                previous[0] = stored.chainHash();
            });
        }
    }

    /** Starts delivering every conversation event committed from now on, in commit order, on one thread. */
    public synchronized void tail(Consumer<ConversationEvent> listener) {
        if (tail != null) {
            throw new IllegalStateException("already tailing");
        }
        running = true;
        liveListener = listener;
        var from = eventStore.createHeadToken();
        tail = Thread.ofPlatform().daemon().name("conversation-event-tail").start(() -> follow(from, listener));
    }

    /**
     * Events this node has just committed, handed to the live listener on the committing thread, ahead of the tail.
     * The tail reads the same events from the store a moment later, so the listener sees every event at least once
     * and must drop what it already has (by seq); on one node this path delivers each conversation in order, because
     * a conversation's commits happen one after another (several of its commands may share one, in seq order) and
     * each calls this before the next can commit.
     */
    public void committedHere(List<? extends EventMessage<?>> events) {
        var listener = liveListener;
        if (listener == null || !running) {
            return;
        }
        for (var message : events) {
            if (message.getPayload() instanceof ConversationEvent event) {
                deliver(listener, event);
            }
        }
    }

    private void follow(TrackingToken from, Consumer<ConversationEvent> listener) {
        var position = from;
        while (running) {
            try (var stream = eventStore.openStream(position)) {
                while (running) {
                    if (stream.hasNextAvailable(200, TimeUnit.MILLISECONDS)) {
                        var message = stream.nextAvailable();
                        position = message.trackingToken();
                        if (message.getPayload() instanceof ConversationEvent event) {
                            deliver(listener, event);
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "live event tail failed; reopening from the last delivered position", e);
                if (!pauseBeforeReopening()) {
                    return;
                }
            }
        }
    }

    private static boolean pauseBeforeReopening() {
        try {
            // back off so an unreachable database is not hammered by reconnect attempts
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void deliver(Consumer<ConversationEvent> listener, ConversationEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, e, () -> "delivering " + event.conversationId() + "#" + event.seq() + " failed");
        }
    }

    @Override
    public synchronized void close() {
        running = false;
        liveListener = null;
        if (tail != null) {
            tail.interrupt();
            try {
                tail.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tail = null;
        }
    }
}
