package com.hirechat.infra;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, which wakes its readers on local commits only, plus a way to wake them
 * when another node committed: without it, events from other nodes would wait for the next poll.
 */
final class WakeableEventStore extends EmbeddedEventStore {

    private final Consumer<List<? extends EventMessage<?>>> afterLocalAppend;

    /** {@code afterLocalAppend} gets the events of every commit of this node, on the committing thread. */
    WakeableEventStore(Builder builder, Consumer<List<? extends EventMessage<?>>> afterLocalAppend) {
        super(builder);
        this.afterLocalAppend = afterLocalAppend;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        if (!events.isEmpty()) { // empty: a wake-up, not an append of ours
            afterLocalAppend.accept(events);
        }
    }

    /** New events may be in storage: let waiting readers fetch now. */
    void wakeUp() {
        afterCommit(List.of());
    }

    /** Reads storage directly (a new query), bypassing the shared tailing reader. */
    Stream<? extends TrackedEventMessage<?>> committedAfter(TrackingToken token) {
        return storageEngine().readEvents(token, false);
    }
}
