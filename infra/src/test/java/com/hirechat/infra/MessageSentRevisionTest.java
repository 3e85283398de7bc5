package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.commands.CanonicalEventChain;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.TestDatabase;

/**
 * A store written by the release before MessageSent's revision 2 (messages stored as revision 1, chained by scheme 2
 * over those bytes) keeps working after the upgrade: it loads, projects, replays and verifies unchanged, and new
 * messages are stored as revision 2 on the same chain. (Golden records cover the scheme-1 stores: GoldenRecordsTest.)
 */
class MessageSentRevisionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SEEKER = "rev-seeker";
    private static final String RECRUITER = "rev-recruiter";

    @Test
    void revisionOneMessagesLoadProjectReplayAndVerifyAndNewOnesAreRevisionTwo() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        String conversation;
        JsonNode historyBefore;
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            conversation = api.startConversation(api.login(SEEKER), RECRUITER);
            send(api, conversation, SEEKER, "c-1", "Is the role remote?", 1);
            send(api, conversation, RECRUITER, "c-2", "Hybrid, two days", 2);
            TestServers.awaitProjectionsCaughtUp(app.uri());
            historyBefore = api.get(history(conversation), api.login(SEEKER)).body().path("messages");
        }
        assertThat(historyBefore).hasSize(2);
        // the previous release's rows: revision-1 payloads ("sender"), scheme-2 links over exactly those bytes
        assertThat(storeAsRevisionOne(db, conversation)).isEqualTo(2);
        var storedBefore = rows(db, conversation);
        assertThat(storedBefore).allSatisfy(row -> assertThat(row).startsWith("1|"));

        // the read models rebuilt from the revision-1 rows are the ones the release wrote
        var rebuild = JarCommand.run(database, "rebuild");
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login(SEEKER);
            var recruiter = api.login(RECRUITER);
            TestServers.awaitProjectionsCaughtUp(app.uri());
            assertThat(api.get(history(conversation), seeker).body().path("messages")).isEqualTo(historyBefore);
            var auditor = api.loginWithRoles("rev-auditor", "compliance");
            assertThat(api.get(verify(conversation), auditor).body()).isEqualTo(JSON.readTree(
                    "{\"conversationId\":\"" + conversation + "\",\"intact\":true,\"checkedEvents\":3,"
                            + "\"firstBrokenSeq\":null,\"schemes\":[{\"scheme\":2,\"fromSeq\":0,\"toSeq\":2}],"
                            + "\"filesIntact\":true,\"files\":{\"checked\":0,\"intact\":0,\"erased\":0,\"broken\":[]}}"));

            // the aggregate reads the revision-1 messages: a retry is the original ack, only the author edits
            var messages = "api/conversations/" + conversation + "/messages";
            var retried = api.post(messages, seeker, "{\"clientMessageId\":\"c-1\",\"text\":\"Is the role remote?\"}");
            assertThat(retried.body().path("seq").asLong()).isEqualTo(1);
            assertThat(retried.body().path("messageId").asText())
                    .isEqualTo(historyBefore.get(1).path("messageId").asText());
            var first = historyBefore.get(1).path("messageId").asText();
            assertThat(api.patch(messages + "/" + first, recruiter, "{\"text\":\"mine\"}").errorCode())
                    .isEqualTo("not_the_author");
            assertThat(api.patch(messages + "/" + first, seeker, "{\"text\":\"Is it remote?\"}").status())
                    .isEqualTo(204);
            send(api, conversation, SEEKER, "c-3", "Thanks!", 4);

            // stored rows are never rewritten; the new message is revision 2, and the whole chain verifies
            var stored = rows(db, conversation);
            assertThat(stored.subList(0, 2)).isEqualTo(storedBefore);
            assertThat(stored.get(2)).startsWith("2|").contains("\"sentBy\":\"rev-seeker\"").doesNotContain("\"sender\"");
            var verified = api.get(verify(conversation), auditor).body();
            assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
            assertThat(verified.path("checkedEvents").asLong()).isEqualTo(5);

            // replay shows every message as today's record; the export shows what is stored, and verifies alone
            var replayed = api.get("api/compliance/conversations/" + conversation + "/events?reason=audit", auditor)
                    .body().path("events");
            var senders = new ArrayList<String>();
            replayed.forEach(event -> {
                if (event.path("type").asText().equals("MessageSent")) {
                    assertThat(event.path("event").has("sender")).isFalse();
                    senders.add(event.path("event").path("sentBy").asText());
                }
            });
            assertThat(senders).containsExactly(SEEKER, RECRUITER, SEEKER);
            var export = export(app, conversation, auditor);
            assertThat(IndependentExportVerifier.firstBadLine(export)).isZero();
            var line = JSON.readTree(export.lines().toList().get(1));
            assertThat(line.path("chain").path("revision").asText()).isEqualTo("1");
            assertThat(line.path("event").path("sender").asText()).isEqualTo(SEEKER);
            assertThat(line.path("event").has("sentBy")).isFalse();

            // the revision-1 bytes are what the link covers: changing who sent it breaks it there
            int altered = db.withHandle(h -> h.createUpdate("""
                            UPDATE domain_event_entry
                               SET payload = convert_to(replace(convert_from(payload, 'UTF8'),
                                             '"sender":"rev-seeker"', '"sender":"rev-recruiter"'), 'UTF8')
                             WHERE aggregate_identifier = :id AND sequence_number = 1""")
                    .bind("id", conversation).execute());
            assertThat(altered).isEqualTo(1);
            var broken = api.get(verify(conversation), auditor).body();
            assertThat(broken.path("intact").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenSeq").asLong()).isEqualTo(1);
        }
    }

    private static void send(ApiClient api, String conversation, String user, String clientId, String text, long seq) {
        var ack = api.post("api/conversations/" + conversation + "/messages", api.login(user),
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
        assertThat(ack.body().path("seq").asLong()).isEqualTo(seq);
    }

    private static String history(String conversation) {
        return "api/conversations/" + conversation + "/messages";
    }

    private static String verify(String conversation) {
        return "api/compliance/conversations/" + conversation + "/verify?reason=audit";
    }

    /** Each MessageSent row as {@code revision|payload}, in seq order. */
    private static List<String> rows(Jdbi db, String conversation) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT payload_revision || '|' || convert_from(payload, 'UTF8') FROM domain_event_entry
                         WHERE aggregate_identifier = :id AND payload_type = :type ORDER BY sequence_number""")
                .bind("id", conversation).bind("type", MessageSent.class.getName()).mapTo(String.class).list());
    }

    /**
     * Rewrites the conversation's rows as the release before revision 2 stored them: each MessageSent's payload with
     * {@code sender} for {@code sentBy} under revision 1, every link recomputed by scheme 2 over the rows' bytes as
     * they are then. Returns the MessageSent rows rewritten.
     */
    private static int storeAsRevisionOne(Jdbi db, String conversation) throws Exception {
        int rewritten = db.withHandle(h -> h.createUpdate("""
                        UPDATE domain_event_entry
                           SET payload = convert_to(replace(convert_from(payload, 'UTF8'), '"sentBy":', '"sender":'),
                                                    'UTF8'),
                               payload_revision = '1'
                         WHERE aggregate_identifier = :id AND payload_type = :type""")
                .bind("id", conversation).bind("type", MessageSent.class.getName()).execute());
        List<Map<String, Object>> stored = db.withHandle(h -> h.createQuery("""
                        SELECT sequence_number, payload_type, payload_revision, payload, meta_data
                          FROM domain_event_entry WHERE aggregate_identifier = :id ORDER BY sequence_number""")
                .bind("id", conversation).mapToMap().list());
        var previous = EventHash.GENESIS;
        for (var row : stored) {
            long seq = ((Number) row.get("sequence_number")).longValue();
            var hash = CanonicalEventChain.hash(previous, CanonicalEventChain.canonical(conversation, seq,
                    (String) row.get("payload_type"), (String) row.get("payload_revision"), (byte[]) row.get("payload")));
            var meta = (ObjectNode) JSON.readTree((byte[]) row.get("meta_data"));
            meta.put(EventHash.KEY, hash);
            var metaBytes = JSON.writeValueAsBytes(meta);
            db.useHandle(h -> h.createUpdate("""
                            UPDATE domain_event_entry SET meta_data = :meta
                             WHERE aggregate_identifier = :id AND sequence_number = :seq""")
                    .bind("meta", metaBytes).bind("id", conversation).bind("seq", seq).execute());
            previous = hash;
        }
        return rewritten;
    }

    private static String export(ChatApplication app, String conversation, String token) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri().resolve(
                        "api/compliance/conversations/" + conversation + "/export?format=jsonl&reason=audit"))
                .header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
