package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.logging.LogRecord;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.hirechat.commands.DomainJson;
import com.hirechat.commands.writepath.ConversationWriteModel;
import com.hirechat.commands.writepath.ReadableSnapshotFilter;
import com.hirechat.domain.Conversation;
import com.hirechat.projections.TestDatabase;

/**
 * A snapshot of today's revision that does not read exactly (an unknown field, a missing one, a value of another
 * type, broken JSON) is discarded: the conversation is rebuilt from its events, the next command succeeds, retries
 * stay idempotent, and the log gets one line. A well-formed one is used.
 *
 * <p>Every snapshot written here remembers a send that never happened ({@code m-9} by the seeker, at seq 1): a
 * conversation loaded from it answers a send of {@code m-9} with seq 1, one rebuilt from its events stores it anew.
 */
class StrictSnapshotTest {

    private static final String SEND_M1 = "{\"clientMessageId\":\"m-1\",\"text\":\"hello\"}";
    private static final String SEND_M9 = "{\"clientMessageId\":\"m-9\",\"text\":\"a phantom\"}";

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @Test
    void aWellFormedSnapshotIsUsed() {
        var run = runWithSnapshot(UnaryOperator.identity());
        // the phantom send came from the snapshot: proof that the strict mapper reads today's shape
        assertThat(run.phantomSeq()).isEqualTo(1);
        assertThat(run.nextSeq()).isEqualTo(2);
        assertThat(snapshotWarnings()).isEmpty();
    }

    @Test
    void aSnapshotTheApplicationWroteReadsBackExactly() throws Exception {
        var database = TestServers.freshDatabase();
        var store = Jdbi.create(TestDatabase.dataSource(database));
        String conversation;
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("seeker");
            conversation = api.startConversation(seeker, "recruiter");
            for (int i = 1; i <= ConversationWriteModel.FIRST_SNAPSHOT_AFTER_EVENTS; i++) {
                assertThat(api.post(messages(conversation), seeker,
                        "{\"clientMessageId\":\"c-" + i + "\",\"text\":\"message " + i + "\"}").status()).isEqualTo(200);
            }
            var id = conversation;
            await().atMost(Duration.ofSeconds(20)).until(() -> store.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM snapshot_event_entry WHERE aggregate_identifier = :id")
                    .bind("id", id).mapTo(Integer.class).one()) > 0);
        }
        var stored = store.withHandle(h -> h.createQuery("""
                        SELECT convert_from(payload, 'UTF8') FROM snapshot_event_entry
                        WHERE aggregate_identifier = :id AND payload_revision = '3'""")
                .bind("id", conversation).mapTo(String.class).one());
        // the strict reader takes every field the application writes, and loses none of them
        var mapper = DomainJson.snapshotMapper();
        var state = mapper.readValue(stored, Conversation.class);
        assertThat(mapper.readTree(mapper.writeValueAsString(state))).isEqualTo(mapper.readTree(stored));
        assertThat(stored).contains("\"c-250\"");
        assertThat(snapshotWarnings()).isEmpty();
    }

    @Test
    void aSnapshotWithAnUnknownFieldIsDiscarded() {
        assertDiscarded(runWithSnapshot(json -> json.replace("\"lastSeq\":1,", "\"lastSeq\":1,\"archived\":false,")));
    }

    @Test
    void aSnapshotMissingAFieldIsDiscarded() {
        // read leniently, the chain would restart from the genesis hash and the next event would break verify
        assertDiscarded(runWithSnapshot(json -> json.replaceFirst(",\"lastHash\":\"[0-9a-f]*\"", "")));
    }

    @Test
    void aSnapshotWithANullFieldIsDiscarded() {
        // read as is, the next event's hash would be computed over a null and fail every command
        assertDiscarded(runWithSnapshot(json -> json.replaceFirst("\"lastHash\":\"[0-9a-f]*\"", "\"lastHash\":null")));
    }

    @Test
    void aSnapshotWithAValueOfAnotherTypeIsDiscarded() {
        assertDiscarded(runWithSnapshot(json -> json.replace("\"lastMessageSeq\":1,", "\"lastMessageSeq\":\"1\",")));
    }

    @Test
    void aSnapshotWithBrokenJsonIsDiscarded() {
        assertDiscarded(runWithSnapshot(json -> json.substring(0, json.length() / 2)));
    }

    private void assertDiscarded(Run run) {
        // rebuilt from its events, which hold no m-9: stored anew after m-1
        assertThat(run.phantomSeq()).isEqualTo(2);
        assertThat(run.nextSeq()).isEqualTo(3);
        assertThat(run.storedEvents()).isEqualTo(4);
        var lines = snapshotWarnings();
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().getLoggerName()).isEqualTo(ReadableSnapshotFilter.class.getName());
        assertThat(lines.getFirst().getMessage()).contains(run.conversation()).doesNotContain("\n");
        assertThat(lines.getFirst().getThrown()).isNull();
    }

    /** Warnings about snapshots from anyone (Axon's own fallback logs a stack trace), each a record of the log. */
    private List<LogRecord> snapshotWarnings() {
        return log.warnings().stream().filter(record -> record.getThrown() != null
                || String.valueOf(record.getMessage()).toLowerCase().contains("snapshot")).toList();
    }

    private record Run(String conversation, long phantomSeq, long nextSeq, int storedEvents) {
    }

    /**
     * The seeker sends m-1; with the server down, a snapshot at seq 1 is stored; on the next start the seeker
     * retries m-1 (must answer seq 1) and sends m-9, and the recruiter sends a message of its own.
     */
    private static Run runWithSnapshot(UnaryOperator<String> alteration) {
        var database = TestServers.freshDatabase();
        String conversation;
        try (var first = TestServers.on(database, Map.of())) {
            var api = new ApiClient(first.uri());
            var seeker = api.login("seeker");
            conversation = api.startConversation(seeker, "recruiter");
            assertThat(api.post(messages(conversation), seeker, SEND_M1).body().path("seq").asLong()).isEqualTo(1);
        }
        var store = Jdbi.create(TestDatabase.dataSource(database));
        writeSnapshot(store, conversation, alteration);

        try (var second = TestServers.on(database, Map.of())) {
            var api = new ApiClient(second.uri());
            var seeker = api.login("seeker");
            var retried = api.post(messages(conversation), seeker, SEND_M1);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.body().path("seq").asLong()).isEqualTo(1);
            var phantom = api.post(messages(conversation), seeker, SEND_M9);
            assertThat(phantom.status()).isEqualTo(200);
            var next = api.post(messages(conversation), api.login("recruiter"),
                    "{\"clientMessageId\":\"m-1\",\"text\":\"hi there\"}");
            assertThat(next.status()).isEqualTo(200);
            int stored = store.withHandle(h -> h.createQuery(
                            "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                    .bind("id", conversation).mapTo(Integer.class).one());
            return new Run(conversation, phantom.body().path("seq").asLong(), next.body().path("seq").asLong(), stored);
        }
    }

    private static String messages(String conversation) {
        return "api/conversations/" + conversation + "/messages";
    }

    /** Today's snapshot shape (revision 3), as the aggregate writes it, altered by {@code alteration}. */
    private static void writeSnapshot(Jdbi store, String conversation, UnaryOperator<String> alteration) {
        store.useHandle(h -> {
            var m1 = h.createQuery("""
                            SELECT convert_from(payload, 'UTF8')::json ->> 'messageId' AS id,
                                   convert_from(payload, 'UTF8')::json ->> 'sentAt' AS sent,
                                   convert_from(meta_data, 'UTF8')::json ->> 'chainHash' AS hash
                            FROM domain_event_entry WHERE aggregate_identifier = :id AND sequence_number = 1""")
                    .bind("id", conversation).mapToMap().one();
            var payload = ("{\"conversationId\":\"%1$s\",\"kind\":\"DIRECT\",\"participants\":[\"recruiter\",\"seeker\"],"
                    + "\"lastSeq\":1,\"lastMessageSeq\":1,\"recentMessages\":{"
                    + "\"%2$s\":{\"sender\":\"seeker\",\"clientMessageId\":\"m-1\",\"seq\":1,\"sentAt\":\"%3$s\","
                    + "\"redacted\":false},"
                    + "\"%4$s\":{\"sender\":\"seeker\",\"clientMessageId\":\"m-9\",\"seq\":1,\"sentAt\":\"%3$s\","
                    + "\"redacted\":false}},"
                    + "\"recentRedactions\":[],\"readUpTo\":{},\"linkedJobs\":[],\"lastHash\":\"%5$s\"}")
                    .formatted(conversation, m1.get("id"), m1.get("sent"), UUID.randomUUID(), m1.get("hash"));
            h.createUpdate("""
                            INSERT INTO snapshot_event_entry (aggregate_identifier, sequence_number, type,
                                event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                            VALUES (:id, 1, 'Conversation', :eventId, convert_to('{}', 'UTF8'),
                                convert_to(:payload, 'UTF8'), '3', 'com.hirechat.domain.Conversation', :at)""")
                    .bind("id", conversation)
                    .bind("eventId", UUID.randomUUID().toString())
                    .bind("payload", alteration.apply(payload))
                    .bind("at", Instant.now().toString())
                    .execute();
        });
    }
}
