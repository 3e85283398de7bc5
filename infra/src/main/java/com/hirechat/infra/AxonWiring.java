package com.hirechat.infra;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;

import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.commands.ChatCommands;
import com.hirechat.commands.ConflictRetry;
import com.hirechat.commands.ConversationWriteModel;
import com.hirechat.commands.DomainJson;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ContactsProjection;
import com.hirechat.projections.ConversationEventFeed;
import com.hirechat.projections.DirectoryProjection;
import com.hirechat.projections.HistoryProjection;
import com.hirechat.projections.ParticipantsProjection;
import com.hirechat.projections.ProcessingGroups;
import com.hirechat.projections.ReadModelQueries;
import com.hirechat.web.Operations;
import com.hirechat.web.TypingRelay;

/** Axon without Spring: JDBC event and token stores on PostgreSQL, Jackson everywhere, one JDBC transaction per unit of work. */
final class AxonWiring implements AutoCloseable {

    private final Configuration axon;
    private final ScheduledExecutorService retries;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final ConversationEventFeed feed;
    private final PostgresNotifications notifications;
    private final PostgresTypingRelay typing;
    private final Operations operations;
    private final ComplianceAccessLog accessLog;

    private AxonWiring(DataSource dataSource, Observability observability) {
        var transactions = new JdbcTransactionManager(dataSource);
        var connections = transactions.connectionProvider();
        var jdbi = Jdbi.create(connections::getConnection);
        // the handle borrows the unit of work's connection; committing is the transaction manager's job
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);

        var serializer = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
        var snapshotSerializer = JacksonSerializer.builder().objectMapper(DomainJson.snapshotMapper()).build();
        retries = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("command-retry").factory());

        axon = DefaultConfigurer.defaultConfiguration(false)
                .configureTransactionManager(c -> transactions)
                .configureSerializer(c -> serializer)
                .configureEventSerializer(c -> serializer)
                .configureMessageSerializer(c -> serializer)
                .configureEventStore(c -> {
                    var store = new WakeableEventStore(EmbeddedEventStore.builder()
                        .storageEngine(JdbcEventStorageEngine.builder()
                                .connectionProvider(connections)
                                .transactionManager(transactions)
                                .schema(EventStoreSchema.events())
                                .persistenceExceptionResolver(new PostgresDuplicateKeyResolver())
                                .eventSerializer(serializer)
                                .snapshotSerializer(snapshotSerializer)
                                .upcasterChain(c.upcasterChain())
                                .build())
                        // a safety net only: appends on any node wake readers through PostgresNotifications
                        .fetchDelay(5000)
                        .messageMonitor(observability.appendMonitor()));
                    c.onShutdown(store::shutDown);
                    return store;
                })
                .configureAggregate(ConversationWriteModel.aggregate())
                .configureAggregate(ConversationWriteModel.userAccounts())
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
                        .usingPooledStreamingEventProcessors()
                        .registerSubscribingEventProcessor(ProcessingGroups.PARTICIPANTS)
                        .registerEventHandler(c -> new ParticipantsProjection(jdbi))
                        .registerEventHandler(c -> new HistoryProjection(jdbi))
                        .registerEventHandler(c -> new ContactsProjection(jdbi))
                        .registerEventHandler(c -> new DirectoryProjection(jdbi)))
                .buildConfiguration();
        axon.start();
        var eventStore = (WakeableEventStore) axon.eventStore();
        typing = new PostgresTypingRelay(dataSource);
        notifications = PostgresNotifications.start(dataSource, eventStore::wakeUp, typing::received);

        commands = new ChatCommands(axon.commandGateway(), observability.commandTimings());
        observability.watchProcessors(axon);
        operations = observability.operations(dataSource, axon);
        queries = new ReadModelQueries(jdbi);
        accessLog = new ComplianceAccessLog(jdbi);
        feed = new ConversationEventFeed(axon.eventStore());
    }

    static AxonWiring start(DataSource dataSource, Observability observability) {
        return new AxonWiring(dataSource, observability);
    }

    ComplianceAccessLog accessLog() {
        return accessLog;
    }

    Operations operations() {
        return operations;
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

    @Override
    public void close() {
        notifications.close();
        feed.close();
        axon.shutdown();
        retries.shutdownNow();
    }
}
