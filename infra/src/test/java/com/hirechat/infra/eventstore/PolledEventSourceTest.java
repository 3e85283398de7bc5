package com.hirechat.infra.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import com.hirechat.infra.eventstore.PolledEventSource;

/** The read models' event source makes a pooled processor look every interval, and streams events unchanged. */
class PolledEventSourceTest {

    private static final Duration INTERVAL = Duration.ofMillis(10);

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final PolledEventSource source = new PolledEventSource(store, INTERVAL);

    @AfterEach
    void stop() {
        source.close();
        store.shutDown();
    }

    @Test
    void aStreamPromisesAvailabilityCallbacksAndCallsThemEveryIntervalUntilClosed() {
        // without the promise, Axon's coordinator looks for new events only every 500 ms
        var closed = source.openStream(null);
        var open = source.openStream(null);
        var callsWhileOpen = new AtomicInteger();
        var callsOfTheOther = new AtomicInteger();

        assertThat(closed.setOnAvailableCallback(callsWhileOpen::incrementAndGet)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> callsWhileOpen.get() >= 3);
        closed.close();
        var callsAtClose = callsWhileOpen.get();

        // both run on one timer at one rate: once the other's callback ran three times, a closed stream's still
        // scheduled callback would have run too
        assertThat(open.setOnAvailableCallback(callsOfTheOther::incrementAndGet)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> callsOfTheOther.get() >= 3);
        assertThat(callsWhileOpen.get()).isLessThanOrEqualTo(callsAtClose + 1); // one may have been running
        open.close();
    }

    @Test
    void aStreamThatRanDryShowsNewEventsOnlyAfterTheNextTick() throws InterruptedException {
        // one tick an hour: none comes during the test
        try (var hourly = new PolledEventSource(store, Duration.ofHours(1));
             var stream = new AutoCloseableStream(hourly.openStream(null))) {
            assertThat(stream.stream().setOnAvailableCallback(() -> { })).isTrue();
            store.publish(GenericEventMessage.asEventMessage("first"));
            assertThat(stream.stream().hasNextAvailable()).isTrue();
            assertThat(stream.stream().nextAvailable().getPayload()).isEqualTo("first");
            assertThat(stream.stream().hasNextAvailable()).isFalse(); // dry

            store.publish(GenericEventMessage.asEventMessage("second"));
            // held back for the next tick, so that it shares a transaction with whatever else comes until then
            assertThat(stream.stream().hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.stream().hasNextAvailable()).isFalse();
            assertThat(stream.stream().peek()).isEmpty();
        }
    }

    @Test
    void aPooledProcessorOnItHandlesEventsPublishedBeforeAndAfterItStarted() {
        var handled = new CopyOnWriteArrayList<Object>();
        store.publish(GenericEventMessage.asEventMessage("before"));
        var processor = PooledStreamingEventProcessor.builder()
                .name("polled")
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        .eventHandlers((EventMessageHandler) event -> {
                            handled.add(event.getPayload());
                            return null;
                        })
                        .build())
                .messageSource(source)
                .tokenStore(new InMemoryTokenStore())
                .transactionManager(NoTransactionManager.instance())
                .coordinatorExecutor(Executors.newSingleThreadScheduledExecutor())
                .workerExecutor(Executors.newSingleThreadScheduledExecutor())
                .initialSegmentCount(1)
                .build();
        processor.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.equals(List.of("before")));
            store.publish(GenericEventMessage.asEventMessage("after"));
            await().atMost(Duration.ofSeconds(10)).until(() -> handled.equals(List.of("before", "after")));
        } finally {
            processor.shutDown();
        }
    }

    @Test
    void aStreamHandsOnTheStoresEventsInOrder() throws InterruptedException {
        store.publish(List.<EventMessage<?>>of(GenericEventMessage.asEventMessage("first"),
                GenericEventMessage.asEventMessage("second")));
        try (var stream = new AutoCloseableStream(source.openStream(null))) {
            assertThat(stream.stream().hasNextAvailable(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stream.stream().peek()).hasValueSatisfying(e -> assertThat(e.getPayload()).isEqualTo("first"));
            assertThat(stream.stream().nextAvailable().getPayload()).isEqualTo("first");
            assertThat(stream.stream().nextAvailable().getPayload()).isEqualTo("second");
            assertThat(stream.stream().hasNextAvailable()).isFalse();
        }
        assertThat(source.createHeadToken()).isEqualTo(store.createHeadToken());
        assertThat(source.createTailToken()).isEqualTo(store.createTailToken());
    }

    private record AutoCloseableStream(BlockingStream<TrackedEventMessage<?>> stream) implements AutoCloseable {
        @Override
        public void close() {
            stream.close();
        }
    }
}
