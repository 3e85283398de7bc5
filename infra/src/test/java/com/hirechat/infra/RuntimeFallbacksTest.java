package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.logging.LogRecord;

import org.axonframework.commandhandling.SimpleCommandBus;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.hirechat.commands.writepath.GroupCommitCommandBus;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.UserId;
import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.PolledEventSource;
import com.hirechat.infra.eventstore.RuntimeFallback;
import com.hirechat.projections.ProcessingGroups;
import com.hirechat.projections.TestDatabase;

/** Each custom runtime piece can be switched back to Axon's by configuration, and says so in the log. */
class RuntimeFallbacksTest {

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void productionRunsTheCustomPiecesAndLogsNoFallback() {
        try (var wiring = AxonWiring.configureOnly(dataSource(), new EventStoreMode.Jdbc(), TestKeys.master())) {
            var axon = wiring.configuration();
            assertThat(axon.commandBus()).isInstanceOf(GroupCommitCommandBus.class);
            assertThat(axon.eventProcessingConfiguration().eventProcessor(ProcessingGroups.READ_MODELS)).isPresent();
            assertThat(wiring.readModelSource()).isInstanceOf(PolledEventSource.class);
        }
        assertThat(log.records()).noneMatch(record -> message(record).contains("runtime fallback"));
    }

    @Test
    void everyFallbackSwitchesItsPieceAndIsLoggedAsAWarning() {
        try (var wiring = AxonWiring.configureOnly(dataSource(), new EventStoreMode.Jdbc(Set.of(RuntimeFallback.values())),
                TestKeys.master())) {
            var axon = wiring.configuration();
            assertThat(axon.commandBus().getClass()).as("Axon's own bus").isEqualTo(SimpleCommandBus.class);
            axon.eventProcessingConfiguration().eventProcessor(ProcessingGroups.READ_MODELS); // builds the processor
            assertThat(wiring.readModelSource()).as("the read models read the store itself").isNull();
        }
        for (var fallback : RuntimeFallback.values()) {
            assertThat(log.warnings()).as(fallback.configName()).anyMatch(record -> message(record).equals(
                    "runtime fallback " + fallback.configName() + " (HIRECHAT_RUNTIME_FALLBACKS): " + fallback.effect()));
        }
    }

    @Test
    void axonsOwnAppendStillWritesTheMessageLedgerWithTheEvents() {
        var coordinates = TestDatabase.createDatabase();
        var seeker = new UserId("seeker-1");
        try (var database = Database.open(AppConfig.from(Map.of(
                "HIRECHAT_JDBC_URL", coordinates.jdbcUrl(),
                "HIRECHAT_JDBC_USER", coordinates.user(),
                "HIRECHAT_JDBC_PASSWORD", coordinates.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)));
             var wiring = AxonWiring.start(database.dataSource(),
                     new EventStoreMode.Jdbc(Set.of(RuntimeFallback.SINGLE_STATEMENT_APPEND)), new Observability(),
                     TestKeys.master())) {
            var conversation = wiring.commands().startDirect(seeker, new UserId("recruiter-1"));
            wiring.commands().send(conversation, seeker, ClientMessageId.of("m-1"), "hello");
            wiring.commands().send(conversation, seeker, ClientMessageId.of("m-2"), "again");
        }
        var jdbi = Jdbi.create(TestDatabase.dataSource(coordinates));
        assertThat(count(jdbi, "domain_event_entry")).isEqualTo(3);
        assertThat(count(jdbi, "message_ledger")).as("one row per message, as the single statement writes")
                .isEqualTo(2);
    }

    private static int count(Jdbi jdbi, String table) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    private static String message(LogRecord record) {
        return record.getMessage() == null ? "" : record.getMessage();
    }

    private static javax.sql.DataSource dataSource() {
        return TestDatabase.dataSource(TestServers.freshDatabase());
    }
}
