package com.hirechat.infra;

import java.util.List;
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

    private final Runnable afterLocalAppend;

    WakeableEventStore(Builder builder, Runnable afterLocalAppend) {
        super(builder);
        this.afterLocalAppend = afterLocalAppend;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        super.afterCommit(events);
        if (!events.isEmpty()) { // empty: a wake-up, not an append of ours
            afterLocalAppend.run();
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
