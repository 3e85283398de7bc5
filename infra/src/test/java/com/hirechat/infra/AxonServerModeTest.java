package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.axonframework.axonserver.connector.AxonServerConfiguration;
import org.axonframework.axonserver.connector.AxonServerConnectionManager;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.axonserver.connector.query.AxonServerQueryBus;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventsourcing.eventstore.AbstractEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.AbstractEventStore;
import org.axonframework.eventsourcing.snapshotting.SnapshotFilter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.Conversation;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.WakeableEventStore;
import com.hirechat.projections.ProcessingGroups;
import com.hirechat.projections.TestDatabase;

/** Axon Server cannot run here: these check that the mode selects the connector, and that no server means no start. */
class AxonServerModeTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void axonServerModeUsesTheConnectorsEventStoreAndBusesWhileTokensStayInPostgres() throws Exception {
        var nothingListens = "127.0.0.1:" + TestServers.freePort();
        var mode = new EventStoreMode.AxonServer(List.of(nothingListens), "hirechat-test", Optional.of("t0ken"),
                CONNECT_TIMEOUT);
        try (var wiring = AxonWiring.configureOnly(dataSource(), mode, TestKeys.master())) {
            var axon = wiring.configuration();

            assertThat(axon.eventStore()).isInstanceOf(AxonServerEventStore.class);
            assertThat(axon.commandBus()).isInstanceOf(AxonServerCommandBus.class);
            assertThat(axon.queryBus()).isInstanceOf(AxonServerQueryBus.class);
            assertThat(axon.eventProcessingConfiguration().tokenStore(ProcessingGroups.READ_MODELS))
                    .isInstanceOf(JdbcTokenStore.class);

            var server = axon.getComponent(AxonServerConfiguration.class);
            assertThat(server.getServers()).isEqualTo(nothingListens);
            assertThat(server.getContext()).isEqualTo("hirechat-test");
            assertThat(server.getToken()).isEqualTo("t0ken");
            assertThat(server.getComponentName()).isEqualTo("hirechat");
            assertThat(server.getConnectTimeout()).as("one attempt never outlasts the start-up bound")
                    .isEqualTo(CONNECT_TIMEOUT.toMillis());

            // events with the general serializer, snapshots with the one that sees the aggregates' private fields
            // (the connector wraps both, so they are told apart by what they write)
            var engine = storageEngine((AxonServerEventStore) axon.eventStore());
            var conversation = ConversationId.of("0b0e0f4e-6f3a-4c55-9a53-3c1d2f6b7a10");
            assertThat(engine.getEventSerializer().serialize(conversation, String.class).getData())
                    .isEqualTo("\"0b0e0f4e-6f3a-4c55-9a53-3c1d2f6b7a10\"");
            assertThat(engine.getSnapshotSerializer().serialize(new FieldsOnly(), String.class).getData())
                    .isEqualTo("{\"seq\":7}");
            // a snapshot of today's revision that does not read is skipped for the events here too (StrictSnapshotTest)
            assertThat(snapshotFilter(engine).test(new GenericDomainEventEntry<>("Conversation",
                    conversation.toString(), 1, "snapshot-1", "2026-12-01T10:00:00Z", Conversation.class.getName(), "3",
                    "{\"conversationId\":".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8))))
                    .isFalse();
        }
    }

    @Test
    void participantsFollowTheStoredEventsInAxonServerModeAndCommitWithThemInJdbcMode() {
        var nothingListens = "127.0.0.1:" + TestServers.freePort();
        var mode = new EventStoreMode.AxonServer(List.of(nothingListens), "hirechat-test", Optional.empty(),
                CONNECT_TIMEOUT);
        try (var wiring = AxonWiring.configureOnly(dataSource(), mode, TestKeys.master())) {
            // no write of the command's transaction: rows only for events Axon Server stored, from its stream
            assertThat(wiring.configuration().eventProcessingConfiguration()
                    .eventProcessor(ProcessingGroups.PARTICIPANTS)).get()
                    .isInstanceOf(StreamingEventProcessor.class);
        }
        try (var wiring = AxonWiring.configureOnly(dataSource(), new EventStoreMode.Jdbc(), TestKeys.master())) {
            assertThat(wiring.configuration().eventProcessingConfiguration()
                    .eventProcessor(ProcessingGroups.PARTICIPANTS)).get()
                    .isInstanceOf(SubscribingEventProcessor.class);
        }
    }

    @Test
    void theConversationItselfAnswersWhoIsInItNowThroughTheCommandBus() {
        var coordinates = TestDatabase.createDatabase();
        var seeker = new UserId("seeker-1");
        var recruiter = new UserId("recruiter-1");
        var manager = new UserId("manager-1");
        try (var database = Database.open(AppConfig.from(Map.of(
                "HIRECHAT_JDBC_URL", coordinates.jdbcUrl(),
                "HIRECHAT_JDBC_USER", coordinates.user(),
                "HIRECHAT_JDBC_PASSWORD", coordinates.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)));
             var wiring = AxonWiring.start(database.dataSource(), new EventStoreMode.Jdbc(), new Observability(),
                     TestKeys.master())) {
            var commands = wiring.commands();
            var group = commands.startGroup(recruiter, List.of(seeker, manager), "Panel");
            commands.removeParticipant(group, recruiter, manager);

            assertThat(commands.isParticipant(group, seeker)).isTrue();
            assertThat(commands.isParticipant(group, manager)).as("removed").isFalse();
            assertThat(commands.isParticipant(group, new UserId("stranger"))).isFalse();
            assertThat(commands.isParticipant(ConversationId.of("0b0e0f4e-6f3a-4c55-9a53-3c1d2f6b7a10"), seeker))
                    .as("a conversation that does not exist has nobody in it").isFalse();
            int stored = Jdbi.create(database.dataSource()).withHandle(handle -> handle.createQuery(
                    "SELECT count(*) FROM domain_event_entry").mapTo(Integer.class).one());
            assertThat(stored).as("asking stored nothing").isEqualTo(2);
        }
    }

    @Test
    void jdbcModeKeepsTheConnectorOutEvenThoughItIsOnTheClassPath() {
        try (var wiring = AxonWiring.configureOnly(dataSource(), new EventStoreMode.Jdbc(), TestKeys.master())) {
            var axon = wiring.configuration();

            assertThat(axon.eventStore()).isInstanceOf(WakeableEventStore.class);
            assertThat(axon.commandBus()).isInstanceOf(SimpleCommandBus.class);
            assertThat(axon.queryBus()).isInstanceOf(SimpleQueryBus.class);
            assertThat(axon.getComponent(AxonServerConnectionManager.class)).isNull();
            assertThat(axon.eventProcessingConfiguration().tokenStore(ProcessingGroups.READ_MODELS))
                    .isInstanceOf(JdbcTokenStore.class);
        }
    }

    @Test
    void withNoAxonServerListeningStartFailsWithinTheBoundAndLeavesNothingRunning() {
        var database = TestServers.freshDatabase();
        var httpPort = TestServers.freePort();
        var nothingListens = "127.0.0.1:" + TestServers.freePort();

        var started = System.nanoTime();
        var failure = catchThrowableOfType(StartupException.class, () -> TestServers.on(database, Map.of(
                "HIRECHAT_PORT", Integer.toString(httpPort),
                "HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", nothingListens,
                "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS", Long.toString(CONNECT_TIMEOUT.toSeconds()))));
        var elapsed = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).as("start-up must fail").isNotNull();
        assertThat(failure.getMessage())
                .contains(nothingListens, "HIRECHAT_AXONSERVER_SERVERS", "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS")
                .doesNotContain("\n");
        // it waited for the server as long as configured, and not much longer (migrations and shutdown included)
        assertThat(elapsed).isBetween(CONNECT_TIMEOUT, CONNECT_TIMEOUT.plusSeconds(15));

        assertThat(canBind(httpPort)).as("the HTTP port is free").isTrue();
        var observer = Jdbi.create(TestDatabase.dataSource(database));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            int leftOpen = observer.withHandle(handle -> handle
                    .createQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            + "AND pid <> pg_backend_pid()")
                    .mapTo(Integer.class).one());
            assertThat(leftOpen).as("connections the application left open").isZero();
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .as("threads the application left running")
                // the connector's own threads, and gRPC's (released shortly after the last channel closes)
                .noneMatch(name -> name.startsWith("axon-connector-") || name.startsWith("grpc-")));
    }

    @Test
    void theCommandLineReportsAnUnreachableAxonServerInOneLineAndExitsNonZero() throws Exception {
        var database = TestServers.freshDatabase();
        var nothingListens = "127.0.0.1:" + TestServers.freePort();
        var java = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve");
        process.environment().putAll(Map.of(
                "HIRECHAT_PORT", "0",
                "HIRECHAT_JDBC_URL", database.jdbcUrl(),
                "HIRECHAT_JDBC_USER", database.user(),
                "HIRECHAT_JDBC_PASSWORD", database.password(),
                "HIRECHAT_TOKEN_SECRET", "test-secret-test-secret-test-secret!",
                "HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", nothingListens,
                "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS", "1"));
        var stderr = Files.createTempFile("hirechat-stderr", ".txt");
        var running = process.redirectErrorStream(false).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(stderr.toFile()).start();
        try {
            assertThat(running.waitFor(60, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
            var lines = Files.readAllLines(stderr);

            assertThat(running.exitValue()).isEqualTo(1);
            // the connector logs its attempts; the verdict is the last line, and our exception is never dumped
            assertThat(lines).last().asString().startsWith("start-up error: no connection to Axon Server at "
                    + nothingListens + " (HIRECHAT_AXONSERVER_SERVERS");
            assertThat(lines).noneMatch(line -> line.contains(StartupException.class.getSimpleName()));
        } finally {
            running.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }

    private static javax.sql.DataSource dataSource() {
        return TestDatabase.dataSource(TestServers.freshDatabase());
    }

    private static boolean canBind(int port) {
        try (var socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }

    /** Axon keeps the storage engine to itself; its serializers are what decides how snapshots are written. */
    private static AbstractEventStorageEngine storageEngine(AxonServerEventStore store) throws Exception {
        var method = AbstractEventStore.class.getDeclaredMethod("storageEngine");
        method.setAccessible(true);
        return (AbstractEventStorageEngine) method.invoke(store);
    }

    /** The filter the engine applies to each snapshot before it deserializes one. */
    private static SnapshotFilter snapshotFilter(AbstractEventStorageEngine engine) throws Exception {
        var field = AbstractEventStorageEngine.class.getDeclaredField("snapshotFilter");
        field.setAccessible(true);
        return (SnapshotFilter) field.get(engine);
    }

    /** State in a private field without accessors, as the aggregates keep theirs. */
    private static final class FieldsOnly {
        @SuppressWarnings("unused")
        private final long seq = 7;
    }
}
