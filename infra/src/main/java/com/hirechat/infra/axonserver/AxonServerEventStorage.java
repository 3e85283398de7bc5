package com.hirechat.infra.axonserver;

import java.time.Duration;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.ServerConnectorConfigurerModule;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.serialization.Serializer;

import com.hirechat.commands.writepath.ReadableSnapshotFilter;
import com.hirechat.domain.MessageLedger;
import com.hirechat.infra.ConfigException;
import com.hirechat.infra.StartupException;
import com.hirechat.infra.eventstore.EventStorage;
import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.projections.ReserializedStoredEvents;
import com.hirechat.projections.StoredEvents;

/**
 * Events, snapshots, commands and queries through Axon Server, using Axon's own connector: its module supplies the
 * connection manager, {@code AxonServerCommandBus} and {@code AxonServerQueryBus}; only the event store is built
 * here, so that snapshots keep their own serializer.
 */
public final class AxonServerEventStorage implements EventStorage {

    /** How this application appears in Axon Server's dashboard. */
    static final String COMPONENT_NAME = "hirechat";
    private static final Duration POLL = Duration.ofMillis(50);
    /** The connector's own default for one connection attempt. */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final EventStoreMode.AxonServer server;
    private final Serializer snapshotSerializer;

    public AxonServerEventStorage(EventStoreMode.AxonServer server, Serializer snapshotSerializer) {
        this.server = server;
        this.snapshotSerializer = snapshotSerializer;
    }

    @Override
    public Configurer configure(Configurer configurer) {
        // auto-discovery is off (defaultConfiguration(false)): the connector is used only when this mode is chosen
        new ServerConnectorConfigurerModule().configureModule(configurer);
        return configurer
                .registerComponent(AxonServerConfiguration.class, c -> axonServerConfiguration())
                // the module's own event store would write snapshots with the general serializer, which cannot see
                // the aggregates' private fields
                .configureEventStore(c -> AxonServerEventStore.builder()
                        .configuration(c.getComponent(AxonServerConfiguration.class))
                        .platformConnectionManager(c.getComponent(AxonServerConnectionManager.class))
                        .messageMonitor(c.messageMonitor(AxonServerEventStore.class, "eventStore"))
                        .eventSerializer(c.eventSerializer())
                        .snapshotSerializer(snapshotSerializer)
                        // snapshots of another revision, or that do not read exactly, are skipped for the events
                        .snapshotFilter(c.snapshotFilter().combine(new ReadableSnapshotFilter(snapshotSerializer)))
                        .upcasterChain(c.upcasterChain())
                        .spanFactory(c.getComponent(EventBusSpanFactory.class))
                        .build());
    }

    private AxonServerConfiguration axonServerConfiguration() {
        var builder = AxonServerConfiguration.builder()
                .servers(server.addresses())
                .context(server.context())
                .componentName(COMPONENT_NAME)
                // the first attempt blocks start-up: never longer than start-up may wait in all
                .connectTimeout(min(ATTEMPT_TIMEOUT, server.connectTimeout()).toMillis());
        server.token().ifPresent(builder::token);
        return builder.build();
    }

    /**
     * Waits for the connector's connection to the context. Without this check an unreachable server would not stop
     * start-up: the connector retries in the background and every command would time out instead.
     */
    @Override
    public void awaitReady(Configuration axon) {
        var deadline = System.nanoTime() + server.connectTimeout().toNanos();
        var connections = axon.getComponent(AxonServerConnectionManager.class);
        // makes a first attempt (bounded by the connect timeout), then the connector retries every 2 s in the background
        connections.getConnection(server.context());
        while (!connections.isConnected(server.context())) {
            if (System.nanoTime() - deadline >= 0) {
                throw new StartupException("no connection to Axon Server at " + server.addresses()
                        + " (HIRECHAT_AXONSERVER_SERVERS, context " + server.context() + ") within "
                        + server.connectTimeout().toSeconds() + " s (HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS);"
                        + " the connector's log lines above say why");
            }
            try {
                // the connector offers no public way to wait for a connection: look again shortly
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StartupException("interrupted while connecting to Axon Server at " + server.addresses());
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public Runnable onEventsAppended(Configuration axon) {
        // nothing writes PostgreSQL's event table in this mode, and Axon Server pushes new events to its readers
        return () -> { };
    }

    /**
     * Axon Server's events are not rows this process can read: each payload is serialized again, which gives the
     * stored bytes only while no upcaster or changed event class lies between them and the code.
     */
    @Override
    public MessageLedger messageLedger(Configuration axon) {
        return new EventStreamLedger(axon::eventStore);
    }

    @Override
    public StoredEvents storedEvents(Configuration axon, DataSource dataSource) {
        return new ReserializedStoredEvents(axon.eventStore(), axon.eventSerializer());
    }

    @Override
    public Stream<? extends TrackedEventMessage<?>> committedAfter(Configuration axon, TrackingToken token) {
        throw new ConfigException("HIRECHAT_EVENT_STORE",
                "rebuilding projections reads the PostgreSQL event store; it is not available with axonserver");
    }
}
