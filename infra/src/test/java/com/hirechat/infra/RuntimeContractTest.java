package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.SubscribingEventProcessor;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.commands.CommandFailure;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.UserId;
import com.hirechat.infra.eventstore.RuntimeFallback;
import com.hirechat.projections.TestDatabase;

/**
 * The runtime's contract on a real PostgreSQL, one rule per test: what a unit of work stores is stored whole or not at
 * all, whatever else writes in it; transactions that commit out of the order of their global indexes, and indexes
 * that never commit, lose and duplicate nothing for the live tail or the read models; and group commit, with several
 * command threads and the aggregate cache, answers every caller with exactly what it stored.
 */
class RuntimeContractTest {

    private static final UserId SEEKER = UserId.of("seeker-1");
    private static final UserId RECRUITER = UserId.of("recruiter-1");
    private static final UserId MANAGER = UserId.of("manager-1");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /**
     * The marker of a client message id whose events PostgreSQL refuses to store (see {@link #refuseEventsContaining});
     * an id, not a text, because texts are stored sealed.
     */
    private static final String REFUSED = "REFUSE-ME";

    private TestDatabase.Coordinates coordinates;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Jdbi jdbi;

    /** One node: its own pool and its own Axon on the shared database. */
    private record Node(Database database, AxonWiring axon) {
    }

    @BeforeEach
    void createDatabase() {
        coordinates = TestDatabase.createDatabase();
        jdbi = Jdbi.create(TestDatabase.dataSource(coordinates));
    }

    @AfterEach
    void stopNodes() throws Exception {
        for (var closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    private Node node() {
        var database = Database.open(AppConfig.from(Map.of(
                "HIRECHAT_JDBC_URL", coordinates.jdbcUrl(),
                "HIRECHAT_JDBC_USER", coordinates.user(),
                "HIRECHAT_JDBC_PASSWORD", coordinates.password(),
                "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET)));
        toClose.add(database);
        var axon = AxonWiring.start(database.dataSource(), StockRuntime.jdbcMode(), new Observability(), TestKeys.master());
        toClose.add(axon);
        return new Node(database, axon);
    }

    // ---- out-of-order commits and gaps in the global index

    @Test
    void aCommandStalledBehindARebuildsLockCommitsAfterLaterOnesAndEveryReaderSeesItOnce() throws Exception {
        var writer = node();
        var reader = node(); // another node: it learns of the writer's events through the store only
        var tailed = new CopyOnWriteArrayList<ConversationEvent>();
        reader.axon().feed().tail(tailed::add);
        var open = writer.axon().commands().startDirect(SEEKER, RECRUITER);
        var stalledConversation = ConversationId.direct(SEEKER, MANAGER);

        CompletableFuture<ConversationId> stalled;
        MessageAccepted later;
        try (var rebuild = jdbc()) {
            // what a rebuild's switch takes: new participants wait, readers pass
            rebuild.setAutoCommit(false);
            rebuild.createStatement().execute("LOCK TABLE conversation_participants IN EXCLUSIVE MODE");
            stalled = CompletableFuture.supplyAsync(() -> writer.axon().commands().startDirect(SEEKER, MANAGER));
            // the start has drawn its global index with its insert, and now waits to write its participants
            await().atMost(PATIENCE).until(() -> waitingForLocksOn("conversation_participants") == 1);
            later = writer.axon().commands().send(open, SEEKER, ClientMessageId.of("after-the-stall"), "later");

            await().atMost(PATIENCE).until(() -> contains(tailed, open, later.seq()));
            assertThat(tailed).as("the stalled start has not committed").noneMatch(
                    event -> event.conversationId().equals(stalledConversation));
            assertThat(globalIndexOf(open, later.seq())).as("committed first, with the higher index")
                    .isGreaterThan(highestIndexBefore(open, later.seq()) + 1);
            rebuild.rollback();
        }
        assertThat(stalled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(stalledConversation);
        var after = writer.axon().commands().send(stalledConversation, MANAGER, ClientMessageId.of("m-1"), "joined");

        await().atMost(PATIENCE).until(() -> contains(tailed, stalledConversation, after.seq()));
        assertThat(tailed).as("the tail went back for the late commit").anyMatch(
                event -> event instanceof ConversationStarted started
                        && started.conversationId().equals(stalledConversation));
        assertEachOnce(tailed);
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(count("SELECT count(*) FROM conversations WHERE conversation_id = ?", stalledConversation))
                    .isEqualTo(1);
            assertThat(count("SELECT count(*) FROM message_history WHERE conversation_id = ?", stalledConversation))
                    .isEqualTo(1);
            assertThat(count("SELECT count(*) FROM message_history WHERE conversation_id = ?", open)).isEqualTo(1);
        });
    }

    @Test
    void anIndexThatNeverCommitsHoldsNoReaderBack() throws Exception {
        var writer = node();
        var reader = node();
        var tailed = new CopyOnWriteArrayList<ConversationEvent>();
        reader.axon().feed().tail(tailed::add);
        var conversation = writer.axon().commands().startDirect(SEEKER, RECRUITER);
        refuseEventsContaining(REFUSED);

        assertThatThrownBy(() -> writer.axon().commands().send(conversation, SEEKER, ClientMessageId.of(REFUSED + "-1"),
                "please")).isInstanceOf(CommandFailure.class);
        var next = writer.axon().commands().send(conversation, SEEKER, ClientMessageId.of("m-2"), "stored");

        assertThat(missingIndexes()).as("the refused insert drew an index and rolled it back").isPositive();
        await().atMost(PATIENCE).until(() -> contains(tailed, conversation, next.seq()));
        assertThat(next.seq()).isEqualTo(1);
        assertEachOnce(tailed);
        await().atMost(PATIENCE).until(() -> count(
                "SELECT count(*) FROM message_history WHERE conversation_id = ?", conversation) == 1);
    }

    // ---- a unit of work is stored whole or not at all

    @Test
    void aWriteByACommandInterceptorCommitsAndRollsBackWithTheEvents() {
        var node = node();
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE audit (note text PRIMARY KEY)"));
        refuseEventsContaining(REFUSED);
        var connections = node.axon().connections();
        node.axon().configuration().commandBus().registerHandlerInterceptor(
                (MessageHandlerInterceptor<CommandMessage<?>>) (unitOfWork, chain) -> {
                    if (unitOfWork.getMessage().getPayload() instanceof SendMessage send) {
                        // the unit of work's own connection, as any JDBC code inside it would use
                        try (var connection = connections.getConnection();
                             var insert = connection.prepareStatement("INSERT INTO audit VALUES (?)")) {
                            insert.setString(1, send.clientMessageId().value());
                            insert.executeUpdate();
                        }
                    }
                    return chain.proceed();
                });
        var conversation = node.axon().commands().startDirect(SEEKER, RECRUITER);

        node.axon().commands().send(conversation, SEEKER, ClientMessageId.of("kept"), "hello");
        assertThatThrownBy(() -> node.axon().commands().send(conversation, SEEKER, ClientMessageId.of(REFUSED),
                "hello")).isInstanceOf(CommandFailure.class);

        assertThat(audit()).as("the refused send's audit row went with its events").containsExactly("kept");
        assertThat(sentClientIds(node, conversation)).containsExactly("kept");
        assertThat(ledgerRows()).isEqualTo(1);
    }

    @Test
    void aSubscribingHandlersWriteCommitsWithTheEventsAndItsFailureLeavesNoEventsNorLedgerRows() {
        var node = node();
        jdbi.useHandle(handle -> handle.execute("CREATE TABLE audit (note text PRIMARY KEY)"));
        jdbi.useHandle(handle -> handle.execute("INSERT INTO audit VALUES ('taken')"));
        var connections = node.axon().connections();
        // a handler added after startup, next to the ones the configuration knows: an outbox, a saga, an audit
        var audit = SubscribingEventProcessor.builder()
                .name("audit")
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
                        // as the application's handlers: a failure fails the unit of work
                        .listenerInvocationErrorHandler(PropagatingErrorHandler.instance())
                        .eventHandlers(new Object() {
                    @EventHandler
                    void on(MessageSent sent) throws SQLException {
                        try (var connection = connections.getConnection();
                             var insert = connection.prepareStatement("INSERT INTO audit VALUES (?)")) {
                            insert.setString(1, sent.clientMessageId().value());
                            insert.executeUpdate(); // "taken" is refused: after the events' append
                        }
                    }
                }).build())
                .messageSource(node.axon().configuration().eventStore())
                .transactionManager(node.axon().configuration().getComponent(
                        org.axonframework.common.transaction.TransactionManager.class))
                .build();
        audit.start();
        toClose.add(audit::shutDown);
        var conversation = node.axon().commands().startDirect(SEEKER, RECRUITER);

        node.axon().commands().send(conversation, SEEKER, ClientMessageId.of("kept"), "hello");
        assertThatThrownBy(() -> node.axon().commands().send(conversation, SEEKER, ClientMessageId.of("taken"),
                "appended, then its handler fails")).isInstanceOf(CommandFailure.class);

        assertThat(audit()).containsExactlyInAnyOrder("kept", "taken");
        assertThat(sentClientIds(node, conversation)).as("no event of the failed unit of work").containsExactly("kept");
        assertThat(ledgerRows()).as("nor its ledger row").isEqualTo(1);
        var next = node.axon().commands().send(conversation, SEEKER, ClientMessageId.of("next"), "still works");
        assertThat(next.seq()).isEqualTo(2);
    }

    // ---- live delivery

    @Test
    void liveDeliveryRunsOffTheCommandThreadsAndKeepsEachConversationsOrder() throws Exception {
        var node = node();
        var deliveries = new CopyOnWriteArrayList<String>(); // thread, then conversation and seq
        var held = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var heldTooLong = new AtomicBoolean();
        node.axon().feed().tail(event -> {
            deliveries.add(Thread.currentThread().getName() + " " + event.conversationId().value() + "#" + event.seq());
            if (event instanceof MessageSent && held.getCount() > 0) {
                held.countDown();
                try {
                    // a listener stuck on a slow client or lock: it must hold up no command
                    heldTooLong.set(!release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        var conversation = node.axon().commands().startDirect(SEEKER, RECRUITER);

        for (var n = 1; n <= 5; n++) {
            node.axon().commands().send(conversation, n % 2 == 0 ? SEEKER : RECRUITER, ClientMessageId.of("m-" + n),
                    "while the listener is stuck");
        }
        assertThat(heldTooLong).as("every send answered while the listener was held").isFalse();
        // the listener got the first message, on its own thread, maybe after the acks (from the tail, a moment later)
        await().atMost(PATIENCE).until(() -> held.getCount() == 0);
        release.countDown();

        // this node's commits come from the fan-out thread; on Axon's own store (no hand-over at the commit, the
        // wakeable-store fallback) only from the tail
        var live = StockRuntime.jdbcMode().uses(RuntimeFallback.WAKEABLE_STORE) ? "conversation-event-tail "
                : "live-fan-out ";
        await().atMost(PATIENCE).until(() -> deliveries.stream().filter(d -> d.startsWith(live)).count() == 6);
        assertThat(deliveries).noneMatch(delivery -> delivery.startsWith("command-"));
        assertThat(deliveries.stream().filter(d -> d.startsWith(live)).map(d -> d.substring(d.indexOf('#') + 1))
                .toList()).as("this node's commits, in seq order").containsExactly("0", "1", "2", "3", "4", "5");
    }

    // ---- group commit

    @Test
    void groupCommitOnSeveralThreadsWithTheCacheAnswersEveryCallerWithWhatItStored() throws Exception {
        var node = node();
        var conversations = new ArrayList<ConversationId>();
        for (var i = 0; i < 24; i++) {
            conversations.add(node.axon().commands().startDirect(UserId.of("seeker-" + i), RECRUITER));
        }
        var senders = 16;
        var perSender = 30;
        var acks = new ConcurrentHashMap<String, MessageAccepted>();
        var retried = new ConcurrentHashMap<String, MessageAccepted>();
        try (var pool = Executors.newFixedThreadPool(senders)) {
            var running = new ArrayList<CompletableFuture<Void>>();
            for (var s = 0; s < senders; s++) {
                var sender = s;
                running.add(CompletableFuture.runAsync(() -> {
                    for (var n = 0; n < perSender; n++) {
                        var index = (sender * 7 + n) % conversations.size();
                        var conversation = conversations.get(index);
                        var clientId = "s" + sender + "-" + n;
                        acks.put(clientId, node.axon().commands().send(conversation, UserId.of("seeker-" + index),
                                ClientMessageId.of(clientId), "message " + clientId));
                    }
                    // a retry, while others still send: the original answer, nothing stored twice
                    var first = (sender * 7) % conversations.size();
                    retried.put("s" + sender + "-0", node.axon().commands().send(conversations.get(first),
                            UserId.of("seeker-" + first), ClientMessageId.of("s" + sender + "-0"), "again"));
                }, pool));
            }
            CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        }

        var stored = new HashMap<String, MessageSent>();
        for (var conversation : conversations) {
            var events = node.axon().feed().read(conversation, -1);
            assertThat(events.stream().map(ConversationEvent::seq).toList()).as("seqs of %s", conversation)
                    .containsExactlyElementsOf(LongStream.range(0, events.size()).boxed().toList());
            for (var event : events) {
                if (event instanceof MessageSent sent) {
                    assertThat(stored.put(sent.clientMessageId().value(), sent)).as("stored once").isNull();
                }
            }
        }
        assertThat(stored).hasSize(senders * perSender);
        acks.forEach((clientId, ack) -> {
            var event = stored.get(clientId);
            assertThat(event).as(clientId).isNotNull();
            assertThat(ack).isEqualTo(new MessageAccepted(event.messageId(), event.seq(), event.sentAt()));
        });
        retried.forEach((clientId, ack) -> assertThat(ack).as("retry of " + clientId).isEqualTo(acks.get(clientId)));
    }

    // ---- helpers

    private Connection jdbc() throws SQLException {
        return TestDatabase.dataSource(coordinates).getConnection();
    }

    /** Makes PostgreSQL refuse (roll back) every insert of an event whose payload contains {@code marker}. */
    private void refuseEventsContaining(String marker) {
        jdbi.useHandle(handle -> handle.execute("""
                CREATE FUNCTION refuse_marked_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF position('%s' in convert_from(NEW.payload, 'UTF8')) > 0 THEN
                        RAISE EXCEPTION 'event refused by the test';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER refuse_marked_event BEFORE INSERT ON domain_event_entry
                    FOR EACH ROW EXECUTE FUNCTION refuse_marked_event()""".formatted(marker)));
    }

    private long waitingForLocksOn(String table) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = CAST(:t AS regclass)")
                .bind("t", table).mapTo(Long.class).one());
    }

    private long globalIndexOf(ConversationId conversation, long seq) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT global_index FROM domain_event_entry
                        WHERE aggregate_identifier = :c AND sequence_number = :s""")
                .bind("c", conversation.value()).bind("s", seq).mapTo(Long.class).one());
    }

    /** The highest index committed before the event at {@code seq}: the stalled insert holds one in between. */
    private long highestIndexBefore(ConversationId conversation, long seq) {
        var index = globalIndexOf(conversation, seq);
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT max(global_index) FROM domain_event_entry WHERE global_index < :i")
                .bind("i", index).mapTo(Long.class).one());
    }

    private long missingIndexes() {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT max(global_index) - count(*) FROM domain_event_entry")
                .mapTo(Long.class).one());
    }

    private long count(String sql, ConversationId conversation) {
        return jdbi.withHandle(handle -> handle.createQuery(sql)
                .bind(0, UUID.fromString(conversation.value())).mapTo(Long.class).one());
    }

    private long ledgerRows() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT count(*) FROM message_ledger")
                .mapTo(Long.class).one());
    }

    private List<String> audit() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT note FROM audit ORDER BY note")
                .mapTo(String.class).list());
    }

    private static List<String> sentClientIds(Node node, ConversationId conversation) {
        return node.axon().feed().read(conversation, -1).stream()
                .filter(MessageSent.class::isInstance).map(MessageSent.class::cast)
                .map(sent -> sent.clientMessageId().value()).toList();
    }

    private static boolean contains(List<ConversationEvent> events, ConversationId conversation, long seq) {
        return events.stream().anyMatch(event -> event.conversationId().equals(conversation) && event.seq() == seq);
    }

    private static void assertEachOnce(List<ConversationEvent> events) {
        Map<String, Long> counts = events.stream().collect(Collectors.groupingBy(
                event -> event.conversationId().value() + "#" + event.seq(), Collectors.counting()));
        assertThat(counts).allSatisfy((key, times) -> assertThat(times).as(key).isEqualTo(1));
    }
}
