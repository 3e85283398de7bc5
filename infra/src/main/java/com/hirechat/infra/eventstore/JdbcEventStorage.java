package com.hirechat.infra.eventstore;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

import javax.sql.DataSource;

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

    /**
     * Gaps in the global index: an index is drawn at insert and becomes visible at commit, so a transaction that
     * commits after a later one (a conversation's start waiting for a rebuild's lock on its participants) leaves a
     * gap that readers (the read-model processor, the live tail of every node) revisit on every fetch until it fills
     * or is dropped. Axon drops a gap more than {@link #MAX_GAP_OFFSET} indexes behind the newest, and, once a token
     * holds more than {@link #GAP_CLEANING_THRESHOLD} gaps, every gap older than {@link #GAP_TIMEOUT_MILLIS} (by the
     * timestamp of the event after it). A rolled-back insert leaves a gap that never fills; it costs a little per
     * fetch until dropped. The rule: no transaction that appended may stay uncommitted for ten minutes or across a
     * million later appends. Axon's defaults (one minute, ten thousand) were too tight for the second: at the
     * throughput of one busy node, ten thousand appends pass while a rebuild's switch holds its lock.
     */
    private static final int GAP_TIMEOUT_MILLIS = 600_000;
    private static final int MAX_GAP_OFFSET = 1_000_000;
    private static final int GAP_CLEANING_THRESHOLD = 250;

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
    public JdbcEventStorage(EventStoreMode.Jdbc mode, JdbcTransactionManager transactions, Serializer serializer,
                            Serializer snapshotSerializer, MessageMonitor<EventMessage<?>> appendMonitor,
                            Consumer<List<? extends EventMessage<?>>> afterLocalAppend) {
        this.mode = mode;
        this.appendMonitor = appendMonitor;
        this.afterLocalAppend = afterLocalAppend;
        this.transactions = transactions;
        this.serializer = serializer;
        this.snapshotSerializer = snapshotSerializer;
        // lookups are reads: they leave a command's deferred transaction unbegun
        this.ledger = new JdbcMessageLedger(transactions.storeConnections());
    }

    @Override
    public Configurer configure(Configurer configurer) {
        return configurer.configureEventStore(c -> {
            var store = new WakeableEventStore(EmbeddedEventStore.builder()
                    .storageEngine(new TailingJdbcEventStorageEngine(JdbcEventStorageEngine.builder()
                            .connectionProvider(transactions.storeConnections())
                            .transactionManager(transactions.withReadsOutsideTransactions())
                            .schema(EventStoreSchema.events())
                            .gapTimeout(GAP_TIMEOUT_MILLIS)
                            .maxGapOffset(MAX_GAP_OFFSET)
                            .gapCleaningThreshold(GAP_CLEANING_THRESHOLD)
                            .appendEvents(append(handledWhileCommitting(c)))
                            .persistenceExceptionResolver(new PostgresDuplicateKeyResolver())
                            .eventSerializer(serializer)
                            .snapshotSerializer(snapshotSerializer)
                            // each aggregate's filter skips snapshots of another revision than its own, which
                            // are then rebuilt from events instead of being read into renamed fields;
                            // one that does not read exactly is skipped too (the revision filter runs first)
                            .snapshotFilter(c.snapshotFilter().combine(new ReadableSnapshotFilter(snapshotSerializer)))
                            .upcasterChain(c.upcasterChain()), transactions::appended, ledger::appendFailed,
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
     * Whether a subscribing processor may handle an event: it does so inside the unit of work that publishes the
     * event, so its writes belong to that unit of work's transaction. A subscriber the configuration does not know
     * (subscribed to the store directly, after startup) may handle anything.
     */
    private static Predicate<EventMessage<?>> handledWhileCommitting(Configuration axon) {
        var byPayloadType = new ConcurrentHashMap<Class<?>, Boolean>();
        return event -> {
            var subscribing = axon.eventProcessingConfiguration().eventProcessors().values().stream()
                    .filter(SubscribingEventProcessor.class::isInstance).map(SubscribingEventProcessor.class::cast)
                    .toList();
            var known = subscribing.stream().filter(SubscribingEventProcessor::isRunning).count();
            if (((WakeableEventStore) axon.eventStore()).subscribers() > known) {
                return true;
            }
            return byPayloadType.computeIfAbsent(event.getPayloadType(), type -> subscribing.stream()
                    .anyMatch(processor -> processor.eventHandlerInvoker().canHandleType(type)));
        };
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
