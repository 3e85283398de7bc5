package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.UserId;
import com.hirechat.projections.TestDatabase;

/**
 * A command whose only write is its events stores them with one statement and no {@code COMMIT} of its own; one
 * whose events are also handled inside its unit of work (the participants) stores everything in one transaction.
 */
class CommandTransactionsTest {

    private static final UserId SEEKER = new UserId("seeker-1");
    private static final UserId RECRUITER = new UserId("recruiter-1");

    private final AtomicInteger commandCommits = new AtomicInteger();
    private Database database;
    private AxonWiring axon;
    private Jdbi jdbi;

    @BeforeEach
    void start() {
        var coordinates = TestDatabase.createDatabase();
        database = Database.open(AppConfig.from(Map.of(
                "HIRECHAT_JDBC_URL", coordinates.jdbcUrl(),
                "HIRECHAT_JDBC_USER", coordinates.user(),
                "HIRECHAT_JDBC_PASSWORD", coordinates.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)));
        axon = AxonWiring.start(countingCommandCommits(database.dataSource()), StockRuntime.jdbcMode(),
                new Observability(), TestKeys.master());
        jdbi = Jdbi.create(database.dataSource());
    }

    @AfterEach
    void stop() {
        axon.close();
        database.close();
    }

    @Test
    void aMessageIsStoredByItsInsertAloneWhileAConversationsStartCommitsWithItsParticipants() {
        // the commit counts pin the custom pieces (group commit's workers, transactions begun on demand); the rows
        // are the contract, which holds on Axon's stock components too
        var customRuntime = StockRuntime.jdbcMode().fallbacks().isEmpty();
        var conversation = axon.commands().startDirect(SEEKER, RECRUITER);
        if (customRuntime) {
            assertThat(commandCommits).as("the start wrote its participants too: one transaction").hasValue(1);
        }
        assertThat(participants()).isEqualTo(2);

        axon.commands().send(conversation, SEEKER, ClientMessageId.of("m-1"), "hello");
        axon.commands().send(conversation, RECRUITER, ClientMessageId.of("m-2"), "hi");

        assertThat(storedEvents()).isEqualTo(3);
        if (customRuntime) {
            assertThat(commandCommits).as("each message committed by its own insert").hasValue(1);
        }
    }

    @Test
    void aFailingParticipantsWriteLeavesNoEventsOfTheConversation() {
        jdbi.useHandle(handle -> handle.execute("""
                CREATE FUNCTION refuse_participant() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.user_id = 'refused-1' THEN
                        RAISE EXCEPTION 'participant refused';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_participant BEFORE INSERT ON conversation_participants
                    FOR EACH ROW EXECUTE FUNCTION refuse_participant()"""));

        assertThatThrownBy(() -> axon.commands().startDirect(SEEKER, new UserId("refused-1")))
                .hasStackTraceContaining("participant refused");

        assertThat(storedEvents()).as("events of the refused start, appended before its participants' write")
                .isZero();
        assertThat(participants()).isZero();
        var conversation = axon.commands().startDirect(SEEKER, RECRUITER);
        axon.commands().send(conversation, SEEKER, ClientMessageId.of("m-1"), "still works");
        assertThat(storedEvents()).isEqualTo(2);
    }

    @Test
    void aCommitsEventsAreStoredAllOrNone() {
        var conversation = axon.commands().startDirect(SEEKER, RECRUITER);
        var events = axon.configuration().eventStore();

        assertThatThrownBy(() -> events.publish(
                new GenericDomainEventMessage<>("Other", "other-1", 0, "first of its aggregate"),
                new GenericDomainEventMessage<>("Conversation", conversation.value(), 0, "taken sequence number")))
                .hasMessageContaining("already exists");

        assertThat(storedEvents()).isEqualTo(1);
    }

    private int storedEvents() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM domain_event_entry")
                .mapTo(Integer.class).one());
    }

    private int participants() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM conversation_participants")
                .mapTo(Integer.class).one());
    }

    /** The pool as it is, counting the commits that the command threads make on its connections. */
    private DataSource countingCommandCommits(DataSource pool) {
        return proxy(DataSource.class, pool, (target, method, arguments) -> {
            var result = invoke(target, method, arguments);
            if (result instanceof Connection connection) {
                return proxy(Connection.class, connection, (c, m, a) -> {
                    if (m.getName().equals("commit") && Thread.currentThread().getName().startsWith("command-")) {
                        commandCommits.incrementAndGet();
                    }
                    return invoke(c, m, a);
                });
            }
            return result;
        });
    }

    private static <T> T proxy(Class<T> type, T target, TargetHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, arguments) -> handler.invoke(target, method, arguments)));
    }

    private static Object invoke(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** An invocation handler that is told the proxied object. */
    private interface TargetHandler {
        Object invoke(Object target, Method method, Object[] arguments) throws Throwable;
    }
}
