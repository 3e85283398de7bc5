package com.hirechat.infra.eventstore;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.AppendEventsStatementBuilder;
import org.axonframework.eventsourcing.eventstore.jdbc.statements.JdbcEventStorageEngineStatements;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.serialization.Serializer;

import com.hirechat.commands.writepath.ReadableSnapshotFilter;
import com.hirechat.domain.MessageLedger;
import com.hirechat.projections.StoredEvents;

/**
 * Events and snapshots in PostgreSQL, each commit's events stored by one statement of the command's unit of work;
 * commands and queries stay in this process.
 */
public final class JdbcEventStorage implements EventStorage {

    private final ConnectionProvider connections;
    private final JdbcTransactionManager transactions;
    private final Serializer serializer;
    private final Serializer snapshotSerializer;
    private final MessageMonitor<EventMessage<?>> appendMonitor;
    private final Consumer<List<? extends EventMessage<?>>> afterLocalAppend;
    private final JdbcMessageLedger ledger;
    private final EventStoreMode.Jdbc mode;

    /**
     * {@code afterLocalAppend} gets the events of every commit of this node that stored events, on the committing
     * thread (to tell other nodes, and this node's live subscribers).
     */
    public JdbcEventStorage(EventStoreMode.Jdbc mode, ConnectionProvider connections,
                            JdbcTransactionManager transactions, Serializer serializer, Serializer snapshotSerializer,
                            MessageMonitor<EventMessage<?>> appendMonitor,
                            Consumer<List<? extends EventMessage<?>>> afterLocalAppend) {
        this.mode = mode;
        this.appendMonitor = appendMonitor;
        this.afterLocalAppend = afterLocalAppend;
        this.connections = connections;
        this.transactions = transactions;
        this.serializer = serializer;
        this.snapshotSerializer = snapshotSerializer;
        this.ledger = new JdbcMessageLedger(connections);
    }

    @Override
    public Configurer configure(Configurer configurer) {
        return configurer.configureEventStore(c -> {
            var store = new WakeableEventStore(EmbeddedEventStore.builder()
                    .storageEngine(new TailingJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                            .connectionProvider(connections)
                            .transactionManager(transactions.withReadsOutsideTransactions())
                            .schema(EventStoreSchema.events())
                            .appendEvents(append(handledWhileCommitting(c)))
                            .persistenceExceptionResolver(new PostgresDuplicateKeyResolver())
                            .eventSerializer(serializer)
                            .snapshotSerializer(snapshotSerializer)
                            // each aggregate's filter skips snapshots of another revision than its own, which
                            // are then rebuilt from events instead of being read into renamed fields;
                            // one that does not read exactly is skipped too (the revision filter runs first)
                            .snapshotFilter(c.snapshotFilter().combine(new ReadableSnapshotFilter(snapshotSerializer)))
                            .upcasterChain(c.upcasterChain()), ledger::appendFailed,
                            !mode.uses(RuntimeFallback.TAILING_READER)))
                    // a safety net only: appends on any node wake readers through PostgresNotifications
                    .fetchDelay(5000)
                    .messageMonitor(appendMonitor), afterLocalAppend,
                    mode.uses(RuntimeFallback.WAKEABLE_STORE) ? Duration.ZERO : WakeableEventStore.LOCAL_WAKE_DELAY);
            c.onShutdown(store::shutDown);
            return store;
        });
    }

    /** One statement per commit, preceded by a {@code BEGIN} when others write in the same unit of work. */
    private AppendEventsStatementBuilder append(Predicate<EventMessage<?>> handledWhileCommitting) {
        if (mode.uses(RuntimeFallback.SINGLE_STATEMENT_APPEND)) {
            // Axon's batch insert, atomic with the ledger's rows only in the transaction the command began at its start
            return (connection, schema, dataType, events, eventSerializer, timestamps) -> {
                try {
                    SingleStatementAppend.insertLedgerRows(connection, events);
                } catch (SQLException e) {
                    if (new PostgresDuplicateKeyResolver().isDuplicateKeyViolation(e)) {
                        // Axon reports a failure while it builds the statement as a plain JdbcException; the ledger's
                        // refusal must read as the conflict it is, as it does from the single statement
                        throw new ConcurrencyException("the message ledger refused a send of this commit", e);
                    }
                    throw e;
                }
                return JdbcEventStorageEngineStatements.appendEvents(connection, schema, dataType, events,
                        eventSerializer, timestamps);
            };
        }
        return (connection, schema, dataType, events, eventSerializer, timestamps) -> {
            if (events.stream().anyMatch(handledWhileCommitting)) {
                // those handlers write after the append, in the same unit of work: the command's transaction
                // (begun on demand) must hold both
                transactions.beginIfDeferred();
            }
            return SingleStatementAppend.build(connection, schema, dataType, events, eventSerializer, timestamps);
        };
    }

    /**
     * Whether a subscribing processor handles an event: it does so inside the unit of work that publishes the event,
     * so its writes belong to that unit of work's transaction.
     */
    private static Predicate<EventMessage<?>> handledWhileCommitting(Configuration axon) {
        var byPayloadType = new ConcurrentHashMap<Class<?>, Boolean>();
        return event -> byPayloadType.computeIfAbsent(event.getPayloadType(), type ->
                axon.eventProcessingConfiguration().eventProcessors().values().stream()
                        .filter(SubscribingEventProcessor.class::isInstance)
                        .anyMatch(processor -> ((SubscribingEventProcessor) processor).eventHandlerInvoker()
                                .canHandleType(type)));
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
    public MessageLedger messageLedger(Configuration axon) {
        return ledger;
    }

    @Override
    public StoredEvents storedEvents(Configuration axon, DataSource dataSource) {
        return new JdbcStoredEvents(dataSource, axon.eventSerializer(), axon.upcasterChain());
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> committedAfter(Configuration axon, TrackingToken token) {
        return ((WakeableEventStore) axon.eventStore()).committedAfter(token);
    }
}
