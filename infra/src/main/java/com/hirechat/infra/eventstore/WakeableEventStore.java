package com.hirechat.infra.eventstore;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;

/**
 * Axon's embedded event store, which wakes its readers on local commits only, plus a way to wake them
 * when another node committed: without it, events from other nodes would wait for the next poll.
 *
 * <p>A local commit wakes the readers {@link #LOCAL_WAKE_DELAY} later, together with every commit in between. Each
 * wake-up costs the shared reader a fetch of the new events, an empty fetch and its gap check, so sends that share a
 * delayed wake-up share that cost (docs/benchmarks.md). Only the
 * read-model processor and the live tail read through here. The read models take new events only every
 * {@code READ_MODEL_POLL} (100 ms) anyway, and the live tail's subscribers get this node's events from the commit
 * directly ({@code afterLocalAppend}): the delay is the read models', not the chat's.
 */
public final class WakeableEventStore extends EmbeddedEventStore {

    static final Duration LOCAL_WAKE_DELAY = Duration.ofMillis(50);

    private final Consumer<List<? extends EventMessage<?>>> afterLocalAppend;
    /** Zero: readers are woken at the commit, as Axon's store does ({@link RuntimeFallback#WAKEABLE_STORE}). */
    private final Duration localWakeDelay;
    private final ScheduledExecutorService wakeTimer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("event-store-wake").factory());
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();

    /** {@code afterLocalAppend} gets the events of every commit of this node, on the committing thread. */
    WakeableEventStore(Builder builder, Consumer<List<? extends EventMessage<?>>> afterLocalAppend,
                       Duration localWakeDelay) {
        super(builder);
        this.afterLocalAppend = afterLocalAppend;
        this.localWakeDelay = localWakeDelay;
    }

    @Override
    protected void afterCommit(List<? extends EventMessage<?>> events) {
        if (events.isEmpty()) { // a wake-up, not an append of ours
            super.afterCommit(events);
            return;
        }
        if (localWakeDelay.isZero()) {
            super.afterCommit(events);
        } else if (wakeScheduled.compareAndSet(false, true)) {
            try {
                wakeTimer.schedule(this::wakeScheduledReaders, localWakeDelay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                wakeScheduledReaders();
            }
        }
        afterLocalAppend.accept(events);
    }

    private void wakeScheduledReaders() {
        // cleared first: a commit from now on schedules the next wake-up, which then finds its events
        wakeScheduled.set(false);
        super.afterCommit(List.of());
    }

    /** New events may be in storage: let waiting readers fetch now. */
    void wakeUp() {
        afterCommit(List.of());
    }

    @Override
    public void shutDown() {
        wakeTimer.shutdownNow();
        super.shutDown();
    }

    /** Reads storage directly (a new query), bypassing the shared tailing reader. */
    Stream<? extends TrackedEventMessage<?>> committedAfter(TrackingToken token) {
        return storageEngine().readEvents(token, false);
    }
}
