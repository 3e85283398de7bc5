package com.hirechat.infra.eventstore;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.StreamableMessageSource;

/**
 * An event source whose streams let a pooled streaming processor take new events once every {@code interval}.
 *
 * <p>The processor's coordinator asks its stream for a callback when events become available; the embedded event
 * store's streams cannot give one, and the coordinator then looked again only after a fixed 500 ms, so the read models
 * trailed the store by up to half a second even when idle. Taking events as soon as they are there (a tracking
 * processor, tried) cost PostgreSQL more CPU per message (docs/benchmarks.md): a processor goes on as long as it finds
 * events, so each read-model transaction took the few events that arrived during the one before. Here a stream that
 * ran dry shows nothing new until the next tick of the interval, and every tick makes the coordinator look: an idle
 * processor is at most one interval behind, a transaction takes the events of a whole interval, and a processor that
 * never catches up never waits.
 */
public final class PolledEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private final StreamableMessageSource<TrackedEventMessage<?>> source;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("read-model-poll").factory());

    public PolledEventSource(StreamableMessageSource<TrackedEventMessage<?>> source, Duration interval) {
        this.source = source;
        this.interval = interval;
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken token) {
        return new PolledStream(source.openStream(token));
    }

    @Override
    public TrackingToken createTailToken() {
        return source.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return source.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return source.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return source.createTokenSince(duration);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class PolledStream implements BlockingStream<TrackedEventMessage<?>> {

        private final BlockingStream<TrackedEventMessage<?>> stream;
        private final AtomicReference<ScheduledFuture<?>> ticking = new AtomicReference<>();
        /** False from the moment the coordinator found the stream dry until the next tick. */
        private volatile boolean showing = true;

        private PolledStream(BlockingStream<TrackedEventMessage<?>> stream) {
            this.stream = stream;
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            var millis = interval.toMillis();
            var tick = timer.scheduleAtFixedRate(() -> {
                showing = true;
                callback.run();
            }, millis, millis, TimeUnit.MILLISECONDS);
            var previous = ticking.getAndSet(tick);
            if (previous != null) {
                previous.cancel(false);
            }
            return true;
        }

        /** The coordinator's look: what the store has, unless the stream ran dry since the last tick. */
        @Override
        public boolean hasNextAvailable() {
            if (!showing) {
                return false;
            }
            var available = stream.hasNextAvailable();
            if (!available) {
                showing = false;
            }
            return available;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return showing ? stream.peek() : Optional.empty();
        }

        /** A blocking wait is not the coordinator's: it gets whatever the store has, as without this class. */
        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return stream.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return stream.nextAvailable();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            stream.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public void close() {
            var current = ticking.getAndSet(null);
            if (current != null) {
                current.cancel(false);
            }
            stream.close();
        }
    }
}
