package com.hirechat.infra.eventstore;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import org.axonframework.eventhandling.EventMessage;

import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;

/**
 * Axon's JDBC storage engine, except that the embedded store's tailing reader gets one batch per read.
 * <p>
 * That reader ({@code EmbeddedEventStore}'s producer, the only caller that passes {@code mayBlock}) reads again at
 * once after any read that found events, and Axon's own stream only ends on an empty batch: every wake-up after a
 * commit cost two empty queries (each with the extended gap check's query) where one suffices. Every other reader
 * (replays, rebuild, export) keeps Axon's stream, which reads on until a batch comes back empty.
 * <p>
 * A failed append is reported with its events (to the message ledger, which must then look its sends up).
 */
final class TailingJdbcEventStorageEngine extends JdbcEventStorageEngine {

    private final BiConsumer<List<? extends EventMessage<?>>, RuntimeException> appendFailed;
    /** False: the tailing reader too reads Axon's way ({@link RuntimeFallback#TAILING_READER}). */
    private final boolean oneBatchPerRead;

    TailingJdbcEventStorageEngine(Builder builder,
                                  BiConsumer<List<? extends EventMessage<?>>, RuntimeException> appendFailed,
                                  boolean oneBatchPerRead) {
        super(builder);
        this.appendFailed = appendFailed;
        this.oneBatchPerRead = oneBatchPerRead;
    }

    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        try {
            super.appendEvents(events, serializer);
        } catch (RuntimeException e) {
            appendFailed.accept(events, e);
            throw e;
        }
    }

    @Override
    protected Stream<? extends TrackedEventData<?>> readEventData(TrackingToken trackingToken, boolean mayBlock) {
        if (!mayBlock || !oneBatchPerRead) {
            return super.readEventData(trackingToken, false);
        }
        return fetchTrackedEvents(trackingToken, batchSize()).stream();
    }
}
