package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hirechat.infra.erasure.ErasureRequests;
import com.hirechat.infra.erasure.ErasureSubject;
import com.hirechat.projections.Projection;
import com.hirechat.projections.ReadModelTable;
import com.hirechat.projections.TestDatabase;

/**
 * Erasing one side of a conversation (crypto-shredding): nothing they wrote and nothing of their profile is readable
 * on any surface or in any table afterwards, the counterpart's words are, and the record still verifies.
 */
class ErasureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The seeker's words and profile: none may be found in plain text after the erasure. */
    private static final String SALARY = "My salary expectation is 87654 EUR, call me on 0176-5551234";
    private static final String EDITED = "I can start on 2027-03-01 in Zwickau";
    private static final String NAME = "Zora Quintessa-Lindqvist";
    private static final String AVATAR = "https://img.example/zora-quintessa.png";
    private static final List<String> SEEKERS_DATA = List.of("87654", "0176-5551234", "Zwickau", "Quintessa", "zora-quintessa");
    /** The recruiter's words: they stay. */
    private static final String OFFER = "We can offer 80000 for the Kotlin role";

    @Test
    void erasingOneSideLeavesNothingOfTheirsReadableAnywhereAndTheRecordIntact() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
            var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
            var conversation = converse(api, seeker, recruiter);
            var recruiterToken = api.login(recruiter);
            var auditor = api.loginWithRoles("auditor", "compliance");
            TestServers.awaitProjectionsCaughtUp(app.uri());

            // encrypted at the store boundary: the texts are only in the read models, not in the event store
            assertThat(tablesContaining(db, "87654")).containsExactly("public.message_history");
            assertThat(tablesContaining(db, "Quintessa")).contains("public.user_profiles")
                    .doesNotContain("public.domain_event_entry");
            List<String> event;
            try (var live = WsClient.connect(api.base(), recruiterToken)) {
                live.subscribe(conversation);

                var erased = api.post("api/compliance/users/" + seeker + "/erasure", auditor,
                        "{\"reason\":\"GDPR Art. 17 request 2026-117\"}");
                assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
                assertThat(erased.body().path("userId").asText()).isEqualTo(seeker);
                assertThat(erased.body().path("alreadyErased").asBoolean()).isFalse();
                // the seeker's words in this conversation, and their profile
                assertThat(erased.body().path("destroyedKeys")).hasSize(2);

                // the erasure is an event in the user's stream: who, when, why and which keys, nothing personal
                event = db.withHandle(h -> h.createQuery("""
                                SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                                 WHERE aggregate_identifier = :stream AND payload_type = 'com.hirechat.domain.UserErased'""")
                        .bind("stream", "user:" + seeker).mapTo(String.class).list());
                assertThat(event).hasSize(1);
                var payload = JSON.readTree(event.getFirst());
                assertThat(payload.path("erasedBy").asText()).isEqualTo("auditor");
                assertThat(payload.path("reason").asText()).isEqualTo("GDPR Art. 17 request 2026-117");
                assertThat(payload.path("keyIds")).isEqualTo(erased.body().path("destroyedKeys"));
                TestServers.awaitProjectionsCaughtUp(app.uri());

                // a message sent after the erasure reaches the live socket as it is: nothing held back or stale
                var after = api.post("api/conversations/" + conversation + "/messages", recruiterToken,
                        "{\"clientMessageId\":\"r-after\",\"text\":\"Thank you for your time\"}");
                assertThat(after.status()).isEqualTo(200);
                assertThat(live.awaitFrame(f -> f.path("type").asText().equals("message")
                        && f.path("clientMessageId").asText().equals("r-after")).path("text").asText())
                        .isEqualTo("Thank you for your time");
            }
            TestServers.awaitProjectionsCaughtUp(app.uri());

            // history: the seeker's messages keep their place as erased placeholders, the recruiter's stay
            var history = api.get("api/conversations/" + conversation + "/messages", recruiterToken).body()
                    .path("messages");
            assertThat(history).hasSize(5);
            for (var message : history) {
                var bySeeker = message.path("senderId").asText().equals(seeker);
                assertThat(message.path("erased").asBoolean()).as(message.toString()).isEqualTo(bySeeker);
                if (bySeeker) {
                    assertThat(message.path("text").asText()).isEmpty();
                    assertThat(message.path("senderName").isNull()).as("the profile is gone").isTrue();
                }
            }
            assertThat(texts(history)).contains(OFFER, "Thank you for your time");

            // contacts: the seeker's side no longer shows a preview of theirs, nor their name
            var seekerContact = api.get("api/contacts", api.login(seeker)).body().path("contacts").get(0);
            assertThat(seekerContact.path("lastMessagePreview").asText()).isEqualTo("Thank you for your time");
            var recruiterContact = api.get("api/contacts", recruiterToken).body().path("contacts").get(0);
            assertThat(recruiterContact.path("displayName").asText()).isEqualTo(seeker);
            assertThat(recruiterContact.path("avatarUrl").isNull()).isTrue();
            assertThat(api.get("api/users/" + seeker, recruiterToken).status()).isEqualTo(404);

            // WebSocket replay from the store, after seq 0
            try (var replaying = WsClient.connect(api.base(), recruiterToken)) {
                replaying.subscribe(conversation, 0);
                var frames = await().atMost(Duration.ofSeconds(10)).until(() -> replaying.framesOfType("message"),
                        list -> list.size() == 5);
                for (var frame : frames) {
                    var bySeeker = frame.path("senderId").asText().equals(seeker);
                    assertThat(frame.path("erased").asBoolean()).as(frame.toString()).isEqualTo(bySeeker);
                    assertThat(frame.path("text").asText().isEmpty()).isEqualTo(bySeeker);
                }
                var edits = await().atMost(Duration.ofSeconds(10)).until(() -> replaying.framesOfType("edited"),
                        list -> list.size() == 1);
                assertThat(edits.getFirst().path("erased").asBoolean()).isTrue();
                assertThat(edits.getFirst().path("text").asText()).isEmpty();
            }

            // the compliance record: replay, transcript and export show placeholders, the chain verifies
            var replay = api.get("api/compliance/conversations/" + conversation + "/events?reason=audit", auditor)
                    .body();
            assertThat(replay.toString()).doesNotContain("87654", "Zwickau").contains(OFFER);
            var transcript = api.get("api/compliance/conversations/" + conversation + "/transcript?reason=audit&asOf="
                    + Instant.now(), auditor).body().path("messages");
            assertThat(transcript).hasSize(5);
            for (var line : transcript) {
                var bySeeker = line.path("senderId").asText().equals(seeker);
                assertThat(line.path("erased").asBoolean()).as(line.toString()).isEqualTo(bySeeker);
            }
            assertThat(texts(transcript)).contains(OFFER);
            var export = download(app.uri(), conversation, auditor);
            assertThat(export).doesNotContain(SEEKERS_DATA.toArray(String[]::new)).contains(OFFER);
            assertThat(IndependentExportVerifier.firstBadLine(export)).isZero();
            var verified = api.get("api/compliance/conversations/" + conversation + "/verify?reason=audit", auditor)
                    .body();
            assertThat(verified.path("intact").asBoolean()).isTrue();
            assertThat(verified.path("checkedEvents").asLong()).isEqualTo(7);

            // a rebuild from the events gives the same tables
            var rebuild = JarCommand.run(database, "rebuild", "--no-switch");
            assertThat(rebuild.exit()).as(rebuild.output()).isZero();
            for (var table : Tables.live()) {
                assertThat(difference(db, table, Tables.shadowOf(table))).as(table + " against its rebuild").isZero();
            }

            // and no table of any schema holds a trace of the seeker's words or profile in plain text
            for (var needle : SEEKERS_DATA) {
                assertThat(tablesContaining(db, needle)).as(needle).isEmpty();
            }
            assertThat(tablesContaining(db, OFFER)).contains("public.message_history");

            // a second erasure is answered with the first, and records nothing new
            var again = api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"again\"}");
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body().path("alreadyErased").asBoolean()).isTrue();
            assertThat(again.body().path("requestId")).isEqualTo(JSON.readTree(event.getFirst()).path("requestId"));
            assertThat(erasuresStored(db, seeker)).isEqualTo(1);

            // nobody of that name was ever here
            var unknown = api.post("api/compliance/users/nobody-" + UUID.randomUUID().toString().substring(0, 8)
                    + "/erasure", auditor, "{\"reason\":\"typo\"}");
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.errorCode()).isEqualTo("unknown_user");
        }
    }

    @Test
    void theTutorialsSendCountsCannotBeTiedToATextOnceTheSenderIsErased() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var suffix = UUID.randomUUID().toString().substring(0, 8);
        var seeker = "tut-seeker-" + suffix;
        var recruiter = "tut-recruiter-" + suffix;
        var room = "chat-" + recruiter + "-" + seeker;
        // a short text: the kind a plain digest gives away to anyone who tries the likely texts
        var text = "yes";
        var token = TestServers.token(seeker);
        var post = JSON.writeValueAsString(Map.of("roomId", room, "text", text));
        var data = Map.of("roomId", room, "text", text);
        try (var app = TestServers.on(database, Map.of());
             var page = TutorialPage.open(app.uri(), token, seeker, "websocket")) {
            page.awaitEvent("connect", 1);
            var api = new ApiClient(app.uri());
            // the page's double send under the keyed hash, saved then emitted, and emitted then saved: one message each
            var saved = api.post("api/messages", token, post);
            assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
            var emitted = page.call("emit_ack", "event", "send_message", "args", new Object[] {data}).path("answer");
            assertThat(emitted.path("messageId").asText()).isEqualTo(saved.body().path("messageId").asText());
            var second = page.call("emit_ack", "event", "send_message", "args", new Object[] {data}).path("answer");
            assertThat(second.path("seq").asLong()).isEqualTo(2);
            var savedAgain = api.post("api/messages", token, post);
            assertThat(savedAgain.body().path("messageId").asText()).isEqualTo(second.path("messageId").asText());

            var before = sendCounts(db, seeker);
            assertThat(before).hasSize(2).allSatisfy(row -> assertThat(row).endsWith(" 2"));
            var hash = before.getFirst().split(" ")[0];
            assertThat(before).allSatisfy(row -> assertThat(row).startsWith(hash + " "));
            assertThat(UnkeyedHashes.of(text)).doesNotContain(hash);
            assertThat(saved.body().path("clientMessageId").asText()).isEqualTo("t1-" + hash + "-1");

            var erased = api.post("api/compliance/users/" + seeker + "/erasure", api.loginWithRoles("auditor",
                    "compliance"), "{\"reason\":\"GDPR Art. 17 request 2026-118\"}");
            assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
            assertThat(liveKeys(db, seeker)).as("the key the hashes were made under is gone").isZero();

            // the counts stay as they were (deleting them would let a later same text take an earlier id), and no
            // table holds the plain digest of the text: only the keyed hash, which nothing can recompute now
            assertThat(sendCounts(db, seeker)).isEqualTo(before);
            for (var plain : UnkeyedHashes.of(text)) {
                assertThat(tablesContaining(db, plain)).as(plain).isEmpty();
            }
        }
    }

    @Test
    void anErasureStoppedAfterItsRequestWasRecordedCompletesAtTheNextStart() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
        String conversation;
        try (var app = TestServers.on(database, Map.of())) {
            conversation = converse(new ApiClient(app.uri()), seeker, recruiter);
        }
        // the first step of an erasure, and then the process died: the request is on file, nothing destroyed yet
        new ErasureRequests(db).record(new ErasureSubject(ErasureSubject.Kind.USER, seeker), "auditor", "crash test");
        assertThat(liveKeys(db, seeker)).isEqualTo(2);

        try (var app = TestServers.on(database, Map.of())) {
            // resumed at start, before the server took a request
            assertThat(liveKeys(db, seeker)).isZero();
            assertThat(erasuresStored(db, seeker)).isEqualTo(1);
            int incomplete = db.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM erasure_requests WHERE completed_at IS NULL").mapTo(Integer.class).one());
            assertThat(incomplete).isZero();
            TestServers.awaitProjectionsCaughtUp(app.uri());
            var api = new ApiClient(app.uri());
            var history = api.get("api/conversations/" + conversation + "/messages", api.login(recruiter)).body()
                    .path("messages");
            assertThat(texts(history)).doesNotContain(SALARY).contains(OFFER);
            for (var needle : SEEKERS_DATA) {
                assertThat(tablesContaining(db, needle)).as(needle).isEmpty();
            }

            // a request another node recorded and then stopped: asking again carries that one on, not a second
            var stopped = new ErasureRequests(db).record(new ErasureSubject(ErasureSubject.Kind.USER, recruiter),
                    "auditor", "second crash test");
            var carriedOn = api.post("api/compliance/users/" + recruiter + "/erasure",
                    api.loginWithRoles("auditor", "compliance"), "{\"reason\":\"asked again\"}");
            assertThat(carriedOn.status()).isEqualTo(200);
            assertThat(carriedOn.body().path("requestId").asText()).isEqualTo(stopped.id().toString());
            assertThat(carriedOn.body().path("alreadyErased").asBoolean()).isFalse();
            assertThat(erasuresStored(db, recruiter)).isEqualTo(1);
        }
    }

    @Test
    void aKeyMissingAtReadTimeReadsAsErasedNeverAsAFailure() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
        String conversation;
        try (var app = TestServers.on(database, Map.of())) {
            conversation = converse(new ApiClient(app.uri()), seeker, recruiter);
        }
        // the key rows themselves are gone (say, a restore that missed them): no erasure, no event
        db.useHandle(h -> h.createUpdate("DELETE FROM data_keys WHERE user_id = :user").bind("user", seeker).execute());

        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var auditor = api.loginWithRoles("auditor", "compliance");
            var transcript = api.get("api/compliance/conversations/" + conversation + "/transcript?reason=audit&asOf="
                    + Instant.now(), auditor);
            assertThat(transcript.status()).isEqualTo(200);
            assertThat(transcript.body().path("messages").get(0).path("erased").asBoolean()).isTrue();
            assertThat(texts(transcript.body().path("messages"))).contains(OFFER);
            try (var socket = WsClient.connect(api.base(), api.login(recruiter))) {
                socket.subscribe(conversation, 0);
                var frames = await().atMost(Duration.ofSeconds(10)).until(() -> socket.framesOfType("message"),
                        list -> list.size() == 4);
                assertThat(frames.getFirst().path("erased").asBoolean()).isTrue();
            }
            assertThat(api.get("api/compliance/conversations/" + conversation + "/verify?reason=audit", auditor)
                    .body().path("intact").asBoolean()).isTrue();
        }
    }

    /** Profiles, then: seeker, recruiter, seeker (edited later), seeker; returns the conversation. */
    private static String converse(ApiClient api, String seeker, String recruiter) {
        var admin = api.loginWithRoles("host-site", "admin");
        ok(api.put("api/admin/users/" + seeker, admin, "{\"displayName\":\"" + NAME + "\",\"avatarUrl\":\"" + AVATAR
                + "\",\"role\":\"seeker\"}"));
        ok(api.put("api/admin/users/" + recruiter, admin, "{\"displayName\":\"Rita Recruiter\",\"role\":\"recruiter\"}"));
        var seekerToken = api.login(seeker);
        var conversation = api.startConversation(seekerToken, recruiter);
        send(api, conversation, seekerToken, "s-1", SALARY);
        send(api, conversation, api.login(recruiter), "r-1", OFFER);
        var draft = send(api, conversation, seekerToken, "s-2", "I can start soon");
        ok(api.patch("api/conversations/" + conversation + "/messages/" + draft, seekerToken,
                "{\"text\":\"" + EDITED + "\"}"));
        send(api, conversation, seekerToken, "s-3", "Best regards, " + NAME);
        return conversation;
    }

    private static String send(ApiClient api, String conversation, String token, String clientId, String text) {
        return ok(api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":\"" + text + "\"}")).body().path("messageId").asText();
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isBetween(200, 204);
        return response;
    }

    private static List<String> texts(JsonNode messages) {
        var texts = new ArrayList<String>();
        messages.forEach(message -> texts.add(message.path("text").asText()));
        return texts;
    }

    private static String download(URI server, String conversation, String token) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server
                        + "api/compliance/conversations/" + conversation + "/export?format=jsonl&reason=audit"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    /** The sender's rows of {@code tutorial_send_counts} as "hash channel sent", by channel. */
    private static List<String> sendCounts(Jdbi db, String sender) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT text_hash || ' ' || channel || ' ' || sent FROM tutorial_send_counts
                         WHERE sender = :sender ORDER BY channel""")
                .bind("sender", sender).mapTo(String.class).list());
    }

    private static int liveKeys(Jdbi db, String user) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM data_keys WHERE user_id = :u AND wrapped_key IS NOT NULL")
                .bind("u", user).mapTo(Integer.class).one());
    }

    private static int erasuresStored(Jdbi db, String user) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM domain_event_entry
                         WHERE aggregate_identifier = :stream AND payload_type = 'com.hirechat.domain.UserErased'""")
                .bind("stream", "user:" + user).mapTo(Integer.class).one());
    }

    /**
     * Every table of every schema (read models, event store, keys, tokens, shadow copies) whose rows, as text, hold the
     * needle: each row as {@code t::text}, each bytea column also as its bytes read as text, and the needle also as the
     * hex form a bytea takes in a row's text.
     */
    private static List<String> tablesContaining(Jdbi db, String needle) {
        var hex = HexFormat.of().formatHex(needle.getBytes(StandardCharsets.UTF_8));
        return db.withHandle(h -> {
            var found = new ArrayList<String>();
            var tables = h.createQuery("""
                            SELECT table_schema, table_name FROM information_schema.tables
                             WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                             ORDER BY 1, 2""")
                    .map((row, context) -> List.of(row.getString(1), row.getString(2))).list();
            for (var table : tables) {
                var qualified = "\"" + table.get(0) + "\".\"" + table.get(1) + "\"";
                List<String> byteaColumns = h.createQuery("""
                                SELECT column_name FROM information_schema.columns
                                 WHERE table_schema = :schema AND table_name = :table AND data_type = 'bytea'""")
                        .bind("schema", table.get(0)).bind("table", table.get(1)).mapTo(String.class).list();
                var where = new StringBuilder("position(:needle IN t::text) > 0 OR position(:hex IN t::text) > 0");
                for (var column : byteaColumns) {
                    where.append(" OR position(:needle IN encode(t.\"").append(column).append("\", 'escape')) > 0");
                }
                int rows = h.createQuery("SELECT count(*) FROM " + qualified + " t WHERE " + where)
                        .bind("needle", needle).bind("hex", hex).mapTo(Integer.class).one();
                if (rows > 0) {
                    found.add(table.get(0) + "." + table.get(1));
                }
            }
            return found;
        });
    }

    /** Rows in either table and not in the other, duplicates counted. */
    private static int difference(Jdbi db, String one, String other) {
        return db.withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM (TABLE " + one + " EXCEPT ALL TABLE "
                + other + ") a) + (SELECT count(*) FROM (TABLE " + other + " EXCEPT ALL TABLE " + one + ") b)")
                .mapTo(Integer.class).one());
    }

    /** The read models' tables and their rebuilt copies. */
    private static final class Tables {
        static List<String> live() {
            return java.util.Arrays.stream(Projection.values()).flatMap(projection -> projection.tables().stream())
                    .map(ReadModelTable::qualified).toList();
        }

        static String shadowOf(String table) {
            var dot = table.indexOf('.');
            return ProjectionRebuild.shadowSchema(table.substring(0, dot)) + table.substring(dot);
        }
    }
}
