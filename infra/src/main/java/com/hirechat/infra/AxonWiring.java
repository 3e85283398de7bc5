package com.hirechat.infra;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Logger;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.LoggingDuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.async.SequentialPolicy;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.correlation.MessageOriginProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.commands.CanonicalEventChain;
import com.hirechat.commands.ChatCommands;
import com.hirechat.commands.DomainErrorInterceptor;
import com.hirechat.commands.DomainJson;
import com.hirechat.commands.MessageSentUpcaster;
import com.hirechat.commands.writepath.ConflictRetry;
import com.hirechat.commands.writepath.ConversationWriteModel;
import com.hirechat.commands.writepath.GroupCommitCommandBus;
import com.hirechat.domain.Conversation;
import com.hirechat.domain.EventChain;
import com.hirechat.domain.MessageLedger;
import com.hirechat.infra.axonserver.AxonServerEventStorage;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.MasterKeys;
import com.hirechat.infra.crypto.SealingSerializer;
import com.hirechat.infra.eventstore.EventStorage;
import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.EventStoreSchema;
import com.hirechat.infra.eventstore.JdbcEventStorage;
import com.hirechat.infra.eventstore.JdbcStoredEvents;
import com.hirechat.infra.eventstore.JdbcTransactionManager;
import com.hirechat.infra.eventstore.PolledEventSource;
import com.hirechat.infra.eventstore.PostgresAppendAnnouncer;
import com.hirechat.infra.eventstore.PostgresNotifications;
import com.hirechat.infra.eventstore.RuntimeFallback;
import com.hirechat.projections.AnalyticsProjection;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ProcessingGroups;
import com.hirechat.projections.Projection;
import com.hirechat.projections.ReadModelQueries;
import com.hirechat.projections.ReadModelWrites;
import com.hirechat.projections.feed.ConversationEventFeed;
import com.hirechat.web.Operations;
import com.hirechat.web.TypingRelay;

/**
 * Axon without Spring: events in PostgreSQL or Axon Server ({@link EventStorage}), tokens and read models in PostgreSQL,
 * Jackson everywhere, one JDBC transaction per unit of work.
 */
final class AxonWiring implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AxonWiring.class.getName());

    /** Most events one read-model transaction applies. */
    private static final int READ_MODEL_BATCH = 100;
    /** Longest the read models wait before they look for new events ({@link PolledEventSource}). */
    private static final Duration READ_MODEL_POLL = Duration.ofMillis(100);
    /**
     * Threads that run commands, each for its share of the aggregates: far fewer than the pool's 16 connections, so
     * the read models, the store's reader and the snapshotter always find one.
     */
    private static final int COMMAND_THREADS = 4;
    /**
     * Most commands waiting for one command thread, unless configured: sixteen of its fullest batches. A queue that
     * long means the database is not keeping up, and a caller is better answered {@code unavailable} at once than
     * left to wait for its deadline.
     */
    static final int DEFAULT_COMMAND_QUEUE = 1024;
    /** Connections of the data keys' own pool: key reads and creations are short, and cached once made. */
    private static final int KEY_CONNECTIONS = 4;
    /** Most commands one command thread stores in one transaction. */
    private static final int COMMAND_BATCH = 64;

    static {
        // the ledger learns of a message at its commit: until then only the aggregate knows it, and must remember it
        if (COMMAND_BATCH >= Conversation.RECENT_MESSAGES) {
            throw new IllegalStateException("a transaction may hold more messages than a conversation remembers");
        }
    }

    private final Configuration axon;
    private final ScheduledExecutorService retries;
    private final ExecutorService snapshots;
    private volatile GroupCommitCommandBus groupCommit; // jdbc mode only, created when Axon first asks for it
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final ConversationEventFeed feed;
    private final PostgresTypingRelay typing;
    private final EventStorage storage;
    private final DataSource dataSource;
    private final ComplianceAccessLog accessLog;
    private final Operations operations;
    private final EventStoreMode mode;
    private final ConnectionProvider connections;
    /** Most commands waiting for one command thread before more are refused (HIRECHAT_COMMAND_QUEUE). */
    private final int commandQueue;
    /** The custom pieces switched back to Axon's (none in Axon Server mode, which runs none of them). */
    private final EventStoreMode.Jdbc fallbacks;
    /** Started with the server only: a command-line run is no node, and has nothing to announce. */
    private volatile PostgresAppendAnnouncer announcer;
    private volatile PostgresNotifications notifications;
    private volatile PolledEventSource readModelSource; // created when Axon builds the read-model processor
    private final KeyRing keys;
    private final DataSource keyConnections;

    /** Builds the configuration; connects to nothing and starts nothing. */
    private AxonWiring(DataSource dataSource, EventStoreMode mode, Observability observability, int commandQueue,
                       MasterKeys masterKeys, List<AxonExtension> extensions) {
        this.commandQueue = commandQueue;
        this.dataSource = dataSource;
        this.keyConnections = keyConnections(dataSource);
        this.keys = new KeyRing(keyConnections, masterKeys);
        var transactions = new JdbcTransactionManager(dataSource);
        connections = transactions.connectionProvider();
        var jdbi = Jdbi.create(connections::getConnection);
        // the handle borrows the unit of work's connection; committing is the transaction manager's job
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);

        // personal fields are sealed on their way into the store and opened on their way out: what is stored (and
        // hashed by the chain) is ciphertext, so destroying a key erases without touching a row
        var serializer = new SealingSerializer(JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build(),
                keys);
        var snapshotSerializer = JacksonSerializer.builder().objectMapper(DomainJson.snapshotMapper()).build();
        retries = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("command-retry").factory());
        snapshots = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("snapshotter").factory());

        this.mode = mode;
        var jdbcMode = mode instanceof EventStoreMode.Jdbc jdbc ? jdbc : new EventStoreMode.Jdbc();
        for (var fallback : jdbcMode.fallbacks()) {
            LOG.warning("runtime fallback " + fallback.configName() + " (HIRECHAT_RUNTIME_FALLBACKS): "
                    + fallback.effect());
        }
        this.fallbacks = jdbcMode;
        storage = switch (mode) {
            case EventStoreMode.Jdbc jdbc -> new JdbcEventStorage(jdbc, transactions, serializer,
                    snapshotSerializer, observability.appendMonitor(), this::committedHere);
            case EventStoreMode.AxonServer server -> new AxonServerEventStorage(server, snapshotSerializer);
        };

        // false: no auto-discovered modules, so the Axon Server connector on the class path stays unused in jdbc mode
        var configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureTransactionManager(c -> transactions)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                // correlation data ties events to the command they came from (the command bus's own interceptor,
                // below); handlers of events send nothing, yet with the default providers every event they handled
                // cost Axon a correlation map for a result message nobody reads
                .configureCorrelationDataProviders(c -> List.of())
                // the event store's reads and JdbcStoredEvents both go through this chain: old revisions read as today's
                .registerEventUpcaster(c -> new MessageSentUpcaster());
        if (mode instanceof EventStoreMode.Jdbc) {
            // Axon Server mode brings its own command bus (with a local segment of its own)
            configurer.configureCommandBus(c -> commandBus(c, transactions));
        }
        if (mode instanceof EventStoreMode.Jdbc) {
            // in the command's transaction: the rows commit with the events, and answer every participant check
            configurer.eventProcessing().registerSubscribingEventProcessor(ProcessingGroups.PARTICIPANTS);
        }
        // else (Axon Server) a streaming processor of its own: its rows follow the stored events only, never a write
        // whose events were not stored, and lag them; checks of who is in a conversation now ask the conversation
        // each projection's @ProcessingGroup puts it in its processor: participants or read-models
        var writes = new ReadModelWrites(jdbi, !jdbcMode.uses(RuntimeFallback.READ_MODEL_BATCHING));
        var aggregatePieces = new ConversationWriteModel.Pieces(!jdbcMode.uses(RuntimeFallback.AGGREGATE_CACHE),
                !jdbcMode.uses(RuntimeFallback.TARGET_RESOLVER), !jdbcMode.uses(RuntimeFallback.SNAPSHOT_TRIGGER));
        for (var projection : Projection.values()) {
            configurer.eventProcessing()
                    .registerEventHandler(c -> projection.handler(jdbi, writes, AnalyticsProjection.SCHEMA));
        }
        if (!jdbcMode.uses(RuntimeFallback.POLLED_SOURCE)) {
            configurer.eventProcessing().configureDefaultStreamableMessageSource(c -> readModelSource =
                    new PolledEventSource(c.eventStore(), READ_MODEL_POLL));
        }
        for (var extension : extensions) {
            extension.configure(configurer, connections, transactions, keys);
        }
        axon = storage.configure(configurer)
                .registerComponent(Snapshotter.class,
                        c -> ConversationWriteModel.snapshotter(c, transactions, snapshots))
                // the conversation's command handlers chain each event over the bytes this serializer stores
                .registerComponent(EventChain.class, c -> new CanonicalEventChain(serializer))
                // and look up the messages they no longer remember
                .registerComponent(MessageLedger.class, storage::messageLedger)
                .configureAggregate(ConversationWriteModel.aggregate(aggregatePieces))
                .configureAggregate(ConversationWriteModel.userAccounts(aggregatePieces))
                .configureAggregate(org.axonframework.config.AggregateConfigurer.defaultConfiguration(
                        com.hirechat.domain.LegalHold.class))
                .configureAggregate(org.axonframework.config.AggregateConfigurer.defaultConfiguration(
                        com.hirechat.domain.ConversationRetention.class))
                .registerComponent(CommandGateway.class, c -> DefaultCommandGateway.builder()
                        .commandBus(c.commandBus())
                        .retryScheduler(ConflictRetry.scheduler(retries))
                        .build())
                .eventProcessing(processing -> processing
                        .registerTokenStore(c -> JdbcTokenStore.builder()
                                .connectionProvider(connections)
                                .serializer(serializer)
                                .schema(EventStoreSchema.tokens())
                                .build())
                        .registerDefaultTransactionManager(c -> transactions)
                        // a failing projection retries the event instead of skipping it
                        .registerDefaultListenerInvocationErrorHandler(c -> PropagatingErrorHandler.instance())
                        // Axon's default of one event per transaction costs a commit per event under load; a batch
                        // takes whatever arrived since the processor last looked (at most READ_MODEL_POLL ago)
                        .usingPooledStreamingEventProcessors((c, builder) -> builder.batchSize(READ_MODEL_BATCH)
                                .initialSegmentCount(1))
                        // in store order, one event after another: analytics reads the profiles and contacts the
                        // history as they were at that event, which per-aggregate segments would race (a rebuild,
                        // which replays in store order, then disagreed with the live tables)
                        .registerSequencingPolicy(ProcessingGroups.READ_MODELS, c -> new SequentialPolicy())
                        // a send's ack waits for its own commit only, not also for the read models' disk flush
                        .registerTransactionManager(ProcessingGroups.READ_MODELS,
                                c -> transactions.withoutWaitingForTheDisk()))
                .buildConfiguration();
        axon.commandBus().registerHandlerInterceptor(
                new CorrelationDataInterceptor<>(List.of(new MessageOriginProvider())));
        axon.commandBus().registerHandlerInterceptor(new DomainErrorInterceptor());
        typing = new PostgresTypingRelay(dataSource);
        commands = new ChatCommands(axon.commandGateway(), observability.commandTimings());
        queries = mode instanceof EventStoreMode.Jdbc ? new ReadModelQueries(jdbi)
                : new ReadModelQueries(jdbi, commands::isParticipant);
        accessLog = new ComplianceAccessLog(jdbi);
        feed = new ConversationEventFeed(axon.eventStore(), storage.storedEvents(axon, dataSource));
        observability.watchProcessors(axon);
        operations = observability.operations(axon);
    }

    private int ownListenerPid() {
        var listener = notifications; // started after the announcer
        return listener == null ? 0 : listener.backendPid();
    }

    /** Tells the other nodes, and hands the events to this node's live subscribers without waiting for the tail. */
    private void committedHere(List<? extends EventMessage<?>> events) {
        var others = announcer;
        if (others != null) {
            others.committed();
        }
        var liveFeed = feed; // commands run only after start, when the feed exists
        if (liveFeed != null && !fallbacks.uses(RuntimeFallback.WAKEABLE_STORE)) {
            liveFeed.committedHere(events);
        }
    }

    /**
     * Commands run on a few platform threads of their own, and those that queue up behind a busy one share its next
     * transaction (group commit). A command holds a pooled connection from its start to its commit; on the caller's
     * thread (one virtual thread per WebSocket, all sharing two carrier threads) it waited between its statements
     * behind every other runnable socket, so under load each command held its connection longer, the others queued
     * for the pool, and the backlog fed itself. Here only the commands queue, before taking a connection.
     */
    private CommandBus commandBus(Configuration c, JdbcTransactionManager transactions) {
        // a send's events commit with their insert, one round trip where a transaction takes two; Axon's batch insert
        // is atomic only inside a transaction
        var commandTransactions = fallbacks.uses(RuntimeFallback.TRANSACTION_ON_DEMAND)
                || fallbacks.uses(RuntimeFallback.SINGLE_STATEMENT_APPEND) ? transactions
                : transactions.beginningOnDemand();
        if (fallbacks.uses(RuntimeFallback.GROUP_COMMIT)) {
            return SimpleCommandBus.builder()
                    .duplicateCommandHandlerResolver(LoggingDuplicateCommandHandlerResolver.instance())
                    .messageMonitor(c.messageMonitor(SimpleCommandBus.class, "commandBus"))
                    .transactionManager(commandTransactions)
                    .spanFactory(c.getComponent(CommandBusSpanFactory.class))
                    .build();
        }
        var bus = new GroupCommitCommandBus(SimpleCommandBus.builder()
                .duplicateCommandHandlerResolver(LoggingDuplicateCommandHandlerResolver.instance())
                .messageMonitor(c.messageMonitor(GroupCommitCommandBus.class, "commandBus")),
                commandTransactions, c.getComponent(CommandBusSpanFactory.class),
                COMMAND_THREADS, COMMAND_BATCH, commandQueue,
                Thread.ofPlatform().daemon().name("command-", 1).factory());
        groupCommit = bus;
        return bus;
    }

    /** Wires and starts Axon on the given event storage; stops what it started and rethrows when that fails. */
    static AxonWiring start(DataSource dataSource, EventStoreMode mode, Observability observability,
                            MasterKeys masterKeys) {
        return start(dataSource, mode, observability, DEFAULT_COMMAND_QUEUE, masterKeys);
    }

    /** As {@link #start(DataSource, EventStoreMode, Observability, MasterKeys)}, with the command threads' queue bounded so. */
    static AxonWiring start(DataSource dataSource, EventStoreMode mode, Observability observability,
                            int commandQueue, MasterKeys masterKeys) {
        return start(dataSource, mode, observability, commandQueue, masterKeys, List.of());
    }

    /** As {@link #start(DataSource, EventStoreMode, Observability, int, MasterKeys)}, with features' components added. */
    static AxonWiring start(DataSource dataSource, EventStoreMode mode, Observability observability,
                            int commandQueue, MasterKeys masterKeys, List<AxonExtension> extensions) {
        var wiring = new AxonWiring(dataSource, mode, observability, commandQueue, masterKeys, extensions);
        try {
            wiring.start();
        } catch (RuntimeException e) {
            wiring.close();
            throw e;
        }
        return wiring;
    }

    /** Built, not started: which components a mode selects, for tests. Close it. */
    static AxonWiring configureOnly(DataSource dataSource, EventStoreMode mode, MasterKeys masterKeys) {
        return new AxonWiring(dataSource, mode, new Observability(), DEFAULT_COMMAND_QUEUE, masterKeys, List.of());
    }

    /** Starts Axon on a wiring built by {@link #configureOnly}, for command-line work that stores events. */
    AxonWiring started() {
        start();
        return this;
    }

    /** The data keys, wrapped by the master key. */
    KeyRing keys() {
        return keys;
    }

    private void start() {
        storage.awaitReady(axon);
        if (mode instanceof EventStoreMode.Jdbc) {
            announcer = fallbacks.uses(RuntimeFallback.APPEND_ANNOUNCER)
                    ? PostgresAppendAnnouncer.startAnnouncingAlways(dataSource, this::ownListenerPid)
                    : PostgresAppendAnnouncer.start(dataSource, this::ownListenerPid);
        }
        axon.start();
        // typing indicators travel through PostgreSQL in either mode
        notifications = PostgresNotifications.start(dataSource, storage.onEventsAppended(axon),
                announcer == null ? pid -> false : announcer::sentBy, typing::received);
    }

    Configuration configuration() {
        return axon;
    }

    ChatCommands commands() {
        return commands;
    }

    ReadModelQueries queries() {
        return queries;
    }

    ConversationEventFeed feed() {
        return feed;
    }

    TypingRelay typing() {
        return typing;
    }

    /** Events committed after {@code token}, read straight from storage; see {@link EventStorage#committedAfter}. */
    Stream<? extends TrackedEventMessage<?>> committedAfter(TrackingToken token) {
        return storage.committedAfter(axon, token);
    }

    /** The unit of work's connection on a thread that runs one, else a pooled one: what any JDBC code in it uses. */
    ConnectionProvider connections() {
        return connections;
    }

    /** The read models' event source: {@code null} until Axon builds their processor, or with Axon's own source. */
    PolledEventSource readModelSource() {
        return readModelSource;
    }

    ComplianceAccessLog accessLog() {
        return accessLog;
    }

    Operations operations() {
        return operations;
    }

    @Override
    public void close() {
        if (notifications != null) {
            notifications.close();
        }
        feed.close();
        axon.shutdown();
        commands.close();
        if (readModelSource != null) {
            readModelSource.close();
        }
        if (announcer != null) {
            announcer.close();
        }
        retries.shutdownNow();
        snapshots.shutdownNow();
        if (groupCommit != null) {
            groupCommit.shutdown();
        }
        if (keyConnections != dataSource && keyConnections instanceof HikariDataSource own) {
            own.close();
        }
    }

    /**
     * Connections of their own for the data keys. The serializer reads or creates a key while the command (or the
     * projection) that serializes holds a connection of the main pool; taking the key's from the same pool waits on
     * itself once every connection is held by such a caller (many commands on their callers' threads, as with the
     * stock command bus), and the pool's timeout fails them all. A separate small pool cannot be exhausted by the
     * holders of the main one. A data source that is not a pool of ours (tests wrapping one) is shared as it is.
     */
    private static DataSource keyConnections(DataSource main) {
        if (!(main instanceof HikariDataSource pool)) {
            return main;
        }
        var config = new HikariConfig();
        pool.copyStateTo(config);
        config.setPoolName(pool.getPoolName() + "-keys");
        config.setMaximumPoolSize(KEY_CONNECTIONS);
        config.setMinimumIdle(1);
        config.setMetricsTrackerFactory(null);
        config.setMetricRegistry(null);
        return new HikariDataSource(config);
    }
}
