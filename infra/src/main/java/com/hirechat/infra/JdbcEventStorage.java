package com.hirechat.infra;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.serialization.Serializer;

/** Events and snapshots in PostgreSQL, appended in the command's JDBC transaction; commands and queries stay in this process. */
final class JdbcEventStorage implements EventStorage {

    private final ConnectionProvider connections;
    private final JdbcTransactionManager transactions;
    private final Serializer serializer;
    private final Serializer snapshotSerializer;
    private final MessageMonitor<EventMessage<?>> appendMonitor;
    private final Consumer<List<? extends EventMessage<?>>> afterLocalAppend;

    /**
     * {@code afterLocalAppend} gets the events of every commit of this node that stored events, on the committing
     * thread (to tell other nodes, and this node's live subscribers).
     */
    JdbcEventStorage(ConnectionProvider connections, JdbcTransactionManager transactions, Serializer serializer,
                     Serializer snapshotSerializer, MessageMonitor<EventMessage<?>> appendMonitor,
                     Consumer<List<? extends EventMessage<?>>> afterLocalAppend) {
        this.appendMonitor = appendMonitor;
        this.afterLocalAppend = afterLocalAppend;
        this.connections = connections;
        this.transactions = transactions;
        this.serializer = serializer;
        this.snapshotSerializer = snapshotSerializer;
    }

    @Override
    public Configurer configure(Configurer configurer) {
        return configurer.configureEventStore(c -> {
            var store = new WakeableEventStore(EmbeddedEventStore.builder()
                    .storageEngine(new TailingJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                            .connectionProvider(connections)
                            .transactionManager(transactions.withReadsOutsideTransactions())
                            .schema(EventStoreSchema.events())
                            .persistenceExceptionResolver(new PostgresDuplicateKeyResolver())
                            .eventSerializer(serializer)
                            .snapshotSerializer(snapshotSerializer)
                            .upcasterChain(c.upcasterChain())))
                    // a safety net only: appends on any node wake readers through PostgresNotifications
                    .fetchDelay(5000)
                    .messageMonitor(appendMonitor), afterLocalAppend);
            c.onShutdown(store::shutDown);
            return store;
        });
    }

    @Override
    public void awaitReady(Configuration axon) {
        // the database is already connected and migrated by the time Axon is wired
    }

    @Override
    public Runnable onEventsAppended(Configuration axon) {
        // the embedded store learns only of this node's commits by itself
        return ((WakeableEventStore) axon.eventStore())::wakeUp;
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> committedAfter(Configuration axon, TrackingToken token) {
        return ((WakeableEventStore) axon.eventStore()).committedAfter(token);
    }
}
