package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.hirechat.commands.GoldenRecords;
import com.hirechat.domain.MessageSent;
import com.hirechat.projections.TestDatabase;

/**
 * The golden v1 records (commands' src/test/resources/golden/v1), stored in a fresh database's event table as they
 * are, still load, project, replay and verify: what the application stored in that format stays the legal record.
 * The read models are built by the jar's {@code rebuild}, the one way read models come from a stored event table.
 * The test that writes runs last, so that the others see the golden records alone. Their MessageSents are of
 * revision 1 (today's is 2): they are upcast on reading and verify by the scheme-1 text of revision 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GoldenRecordsTest {

    private static final List<GoldenRecords.Row> ROWS = GoldenRecords.read(GoldenRecords.V1);
    private static final String DIRECT = conversation("DIRECT");
    private static final String GROUP = conversation("GROUP");

    private static TestDatabase.Coordinates database;
    private static Jdbi db;
    private static ChatApplication app;
    private static ApiClient api;

    @BeforeAll
    static void storeTheGoldenRecordsAndRebuild() throws Exception {
        database = TestServers.freshDatabase();
        // a first start migrates the schema; the golden rows then go in as a store of that format holds them
        TestServers.on(database, Map.of()).close();
        db = Jdbi.create(TestDatabase.dataSource(database));
        db.useHandle(h -> {
            for (var row : ROWS) {
                long index = h.createQuery("""
                                INSERT INTO domain_event_entry (aggregate_identifier, sequence_number, type,
                                    event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                                VALUES (:aggregateIdentifier, :sequenceNumber, :type, :eventIdentifier, :metaData,
                                    :payload, :payloadRevision, :payloadType, :timeStamp)
                                RETURNING global_index""")
                        .bindMethods(row)
                        .bind("payload", row.payloadBytes())
                        .bind("metaData", row.metaData().getBytes(StandardCharsets.UTF_8))
                        .mapTo(Long.class).one();
                assertThat(index).isEqualTo(row.globalIndex());
            }
        });
        var rebuild = JarCommand.run(database, "rebuild");
        assertThat(rebuild.exit()).as(rebuild.output()).isZero();
        assertThat(rebuild.output()).contains("from " + ROWS.size() + " events");
        app = TestServers.on(database, Map.of());
        api = new ApiClient(app.uri());
        TestServers.awaitProjectionsCaughtUp(app.uri());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    @Order(1)
    void theHistoryHoldsEveryMessageWithEditsAndRedactionsApplied() {
        var history = db.withHandle(h -> h.createQuery("""
                        SELECT seq, client_message_id, sender_id, text, edited_at IS NOT NULL AS edited,
                               coalesce(redacted_by, '') AS redacted_by
                        FROM message_history WHERE conversation_id = CAST(:id AS uuid) ORDER BY seq""")
                .bind("id", DIRECT).mapToMap().list());
        assertThat(history).extracting(row -> row.get("seq") + "|" + row.get("client_message_id") + "|"
                        + row.get("sender_id") + "|" + row.get("text") + "|" + row.get("edited") + "|" + row.get("redacted_by"))
                .containsExactly(
                        "2|s-1|golden-seeker|Hello, is the role still open?|false|",
                        "3|r-1|golden-recruiter|Yes! Want to talk?|false|",
                        "4|s-2|golden-seeker|" + GoldenScript.EDITED_TEXT + "|true|",
                        "7|r-2|golden-recruiter||false|golden-recruiter");
        var group = db.withHandle(h -> h.createQuery("""
                        SELECT seq || '|' || sender_id || '|' || text || '|' || coalesce(redacted_by, '')
                        FROM message_history WHERE conversation_id = CAST(:id AS uuid) ORDER BY seq""")
                .bind("id", GROUP).mapTo(String.class).list());
        assertThat(group).containsExactly("2|golden-manager|Welcome, all|", "3|golden-guest||golden-admin");
    }

    @Test
    @Order(1)
    void contactsParticipantsAndProfilesFollowTheGoldenEvents() {
        var contacts = db.withHandle(h -> h.createQuery("""
                        SELECT user_id || '|' || coalesce(counterpart_id, '-') || '|' || last_message_seq || '|'
                               || last_message_sender || '|' || last_message_redacted || '|' || read_up_to || '|'
                               || unread_count || '|' || removed
                        FROM contacts WHERE conversation_id IN (CAST(:direct AS uuid), CAST(:group AS uuid))
                        ORDER BY conversation_id = CAST(:group AS uuid), user_id""")
                .bind("direct", DIRECT).bind("group", GROUP).mapTo(String.class).list());
        assertThat(contacts).containsExactly(
                // removed messages (the direct one's seq 7, the group's seq 3) are not unread
                "golden-recruiter|golden-seeker|7|golden-recruiter|true|4|0|false",
                "golden-seeker|golden-recruiter|7|golden-recruiter|true|0|1|false",
                // a newcomer has read what came before they joined (seq 1)
                "golden-guest|-|3|golden-guest|true|1|1|true",
                "golden-manager|-|3|golden-guest|true|0|0|false",
                "golden-recruiter|-|3|golden-guest|true|0|1|false",
                "golden-seeker|-|3|golden-guest|true|0|1|false");
        var participants = db.withHandle(h -> h.createQuery("""
                        SELECT user_id || '|' || joined_seq || '|' || coalesce(left_seq::text, '-')
                        FROM conversation_participants WHERE conversation_id = CAST(:id AS uuid) ORDER BY user_id""")
                .bind("id", GROUP).mapTo(String.class).list());
        assertThat(participants).containsExactly("golden-guest|1|5", "golden-manager|0|-", "golden-recruiter|0|-",
                "golden-seeker|0|-");
        var profiles = db.withHandle(h -> h.createQuery(
                        "SELECT user_id || '|' || display_name || '|' || role FROM user_profiles ORDER BY user_id")
                .mapTo(String.class).list());
        assertThat(profiles).containsExactly("golden-recruiter|Rita Recruiter|RECRUITER", "golden-seeker|Sam Seeker|SEEKER");
        var jobs = db.withHandle(h -> h.createQuery(
                        "SELECT job_id || '|' || title || '|' || linked_by || '|' || seq FROM job_links")
                .mapTo(String.class).list());
        assertThat(jobs).containsExactly("job-42|Senior Java Engineer|golden-seeker|1");
    }

    @Test
    @Order(1)
    void analyticsCountTheGoldenMessagesWithTheSendersRoles() {
        var messages = db.withHandle(h -> h.createQuery("""
                        SELECT seq || '|' || sender_id || '|' || coalesce(sender_role, '-') || '|' || text_length
                               || '|' || edited || '|' || redacted
                        FROM analytics.messages WHERE conversation_id = CAST(:id AS uuid) ORDER BY seq""")
                .bind("id", DIRECT).mapTo(String.class).list());
        assertThat(messages).containsExactly(
                "2|golden-seeker|SEEKER|30|false|false",
                "3|golden-recruiter|RECRUITER|18|false|false",
                // the length as sent ("Great, tomorrow?"); an edit only marks the message edited
                "4|golden-seeker|SEEKER|16|true|false",
                "7|golden-recruiter|RECRUITER|16|false|true");
        var conversations = db.withHandle(h -> h.createQuery("""
                        SELECT kind || '|' || started_by || '|' || coalesce(started_by_role, '-') || '|'
                               || coalesce(first_job_id, '-') || '|' || job_count || '|' || participant_count || '|'
                               || message_count || '|' || seeker_message_count || '|' || recruiter_message_count
                        FROM analytics.conversations ORDER BY kind""")
                .mapTo(String.class).list());
        assertThat(conversations).containsExactly("DIRECT|golden-seeker|SEEKER|job-42|1|2|4|2|2",
                "GROUP|golden-manager|-|-|0|3|2|0|0");
    }

    @Test
    @Order(1)
    void complianceReplaysAndVerifiesTheGoldenChainOverHttp() {
        var auditor = api.loginWithRoles("golden-auditor", "compliance");
        for (var conversation : List.of(DIRECT, GROUP)) {
            var expected = ROWS.stream().filter(row -> row.aggregateIdentifier().equals(conversation))
                    .map(row -> row.payloadType().substring(row.payloadType().lastIndexOf('.') + 1)
                            .replaceFirst(".*\\$", ""))
                    .toList();
            var events = api.get("api/compliance/conversations/" + conversation + "/events?reason=golden", auditor)
                    .body().path("events");
            var types = new ArrayList<String>();
            events.forEach(event -> types.add(event.path("type").asText()));
            assertThat(types).containsExactlyElementsOf(expected);
            // replay shows today's records: the revision-1 messages upcast, with sentBy for the stored sender
            var stored = ROWS.stream().filter(row -> row.aggregateIdentifier().equals(conversation)).toList();
            for (int i = 0; i < stored.size(); i++) {
                if (types.get(i).equals("MessageSent")) {
                    var event = events.get(i).path("event");
                    assertThat(event.has("sender")).isFalse();
                    assertThat(stored.get(i).payload()).contains("\"sender\":\"" + event.path("sentBy").asText() + "\"");
                }
            }
            var verified = api.get("api/compliance/conversations/" + conversation + "/verify?reason=golden", auditor)
                    .body();
            assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
            assertThat(verified.path("checkedEvents").asLong()).isEqualTo(expected.size());
        }
    }

    @Test
    @Order(1)
    void theCommandLineReplaysAndVerifiesTheGoldenChain() throws Exception {
        var verify = JarCommand.run(database, "verify", DIRECT, "--reason", "golden");
        // the golden events are all of chain scheme 1, the rule they were written under
        assertThat(verify.stdout()).isEqualTo("intact: 9 events verified" + System.lineSeparator()
                + "scheme 1: seq 0..8" + System.lineSeparator());
        var replay = JarCommand.run(database, "replay", GROUP, "--reason", "golden");
        assertThat(replay.exit()).as(replay.output()).isZero();
        assertThat(replay.stdout().lines().toList()).hasSize(6);
        assertThat(replay.stdout()).contains("buy cheap watches", "Welcome, all");
    }

    @Test
    @Order(1)
    void theGoldenExportVerifiesIndependentlyWithTheRevisionOneRecordText() throws Exception {
        var auditor = api.loginWithRoles("golden-auditor", "compliance");
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri().resolve(
                        "api/compliance/conversations/" + DIRECT + "/export?format=jsonl&reason=golden"))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(IndependentExportVerifier.firstBadLine(response.body())).isZero();
        // seq 2 is a revision-1 MessageSent: its scheme-1 input is the record text as revision 1 printed it
        var line = new ObjectMapper().readTree(response.body().lines().toList().get(2));
        assertThat(line.path("type").asText()).isEqualTo("MessageSent");
        assertThat(line.path("chain").path("recordText").asText()).startsWith("MessageSent[")
                .contains(", sender=golden-seeker, ").doesNotContain("sentBy");
        assertThat(line.path("chain").path("hash").asText()).isEqualTo(new ObjectMapper()
                .readTree(ROWS.stream().filter(row -> row.aggregateIdentifier().equals(DIRECT)
                        && row.sequenceNumber() == 2).findFirst().orElseThrow().metaData()).path("chainHash").asText());
    }

    @Test
    @Order(2)
    void theGoldenAggregatesLoadAndTakeNewCommandsOnTheirChain() {
        var seeker = api.login(GoldenScript.SEEKER);
        var messages = "api/conversations/" + DIRECT + "/messages";
        var golden = ROWS.stream().filter(row -> row.payload().contains("\"clientMessageId\":\"s-1\"")).findFirst()
                .orElseThrow();
        var retried = api.post(messages, seeker, "{\"clientMessageId\":\"s-1\",\"text\":\"Hello, is the role still open?\"}");
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.body().path("seq").asLong()).isEqualTo(2);
        assertThat(golden.payload()).contains(retried.body().path("messageId").asText());

        var next = api.post(messages, seeker, "{\"clientMessageId\":\"s-3\",\"text\":\"See you then\"}");
        assertThat(next.body().path("seq").asLong()).isEqualTo(9);
        // the aggregate knows the golden messages' authors: only the author edits
        var edited = ROWS.stream().filter(row -> row.payload().contains("\"clientMessageId\":\"s-2\"")).findFirst()
                .orElseThrow().payload().replaceFirst(".*\"messageId\":\"([^\"]+)\".*", "$1");
        assertThat(api.patch(messages + "/" + edited, api.login(GoldenScript.RECRUITER), "{\"text\":\"mine now\"}")
                .errorCode()).isEqualTo("not_the_author");
        assertThat(api.patch(messages + "/" + edited, seeker, "{\"text\":\"Tomorrow at 11 then\"}").status())
                .isEqualTo(204);

        var group = "api/conversations/" + GROUP + "/messages";
        var manager = api.login(GoldenScript.MANAGER);
        assertThat(api.post(group, manager, "{\"clientMessageId\":\"g-1\",\"text\":\"Welcome, all\"}").body()
                .path("seq").asLong()).isEqualTo(2);
        assertThat(api.post(group, manager, "{\"clientMessageId\":\"g-3\",\"text\":\"Agenda attached\"}").body()
                .path("seq").asLong()).isEqualTo(6);

        // the golden rows were read, never rewritten; today's messages are stored as revision 2
        var storedMessages = db.withHandle(h -> h.createQuery("""
                        SELECT sequence_number || '|' || payload_revision || '|' || convert_from(payload, 'UTF8')
                        FROM domain_event_entry WHERE aggregate_identifier = :id AND payload_type = :type
                        ORDER BY sequence_number""")
                .bind("id", DIRECT).bind("type", MessageSent.class.getName()).mapTo(String.class).list());
        var goldenMessages = ROWS.stream().filter(row -> row.aggregateIdentifier().equals(DIRECT)
                        && row.payloadType().equals(MessageSent.class.getName()))
                .map(row -> row.sequenceNumber() + "|" + row.payloadRevision() + "|" + row.payload()).toList();
        assertThat(goldenMessages).hasSize(4).allSatisfy(row -> assertThat(row).contains("|1|"));
        assertThat(storedMessages.subList(0, 4)).isEqualTo(goldenMessages);
        assertThat(storedMessages.get(4)).startsWith("9|2|").contains("\"sentBy\":\"golden-seeker\"")
                .doesNotContain("\"sender\"");

        // the new events link onto the golden chain: the whole conversation still verifies
        var auditor = api.loginWithRoles("golden-auditor", "compliance");
        var verified = api.get("api/compliance/conversations/" + DIRECT + "/verify?reason=golden", auditor).body();
        assertThat(verified.path("intact").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.path("checkedEvents").asLong()).isEqualTo(11);
        // the golden events by the rule they were written under, the new ones by today's
        var schemes = verified.path("schemes");
        assertThat(schemes).hasSize(2);
        assertThat(List.of(schemes.get(0).path("scheme").asInt(), schemes.get(0).path("fromSeq").asInt(),
                schemes.get(0).path("toSeq").asInt())).containsExactly(1, 0, 8);
        assertThat(List.of(schemes.get(1).path("scheme").asInt(), schemes.get(1).path("fromSeq").asInt(),
                schemes.get(1).path("toSeq").asInt())).containsExactly(2, 9, 10);
    }

    /**
     * Texts stored before encryption cannot be shredded (rewriting them would break their links): erasing their author
     * hides them in the read models, the record keeps them (docs/compliance.md#encryption), and the chain holds.
     */
    @Test
    @Order(3)
    void erasingAGoldenAuthorHidesTheirPlainTextsInTheReadModelsAndTheRecordKeepsThem() {
        var auditor = api.loginWithRoles("golden-auditor", "compliance");
        var erased = api.post("api/compliance/users/" + GoldenScript.SEEKER + "/erasure", auditor,
                "{\"reason\":\"golden erasure\"}");
        assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
        TestServers.awaitProjectionsCaughtUp(app.uri());

        var seekers = db.withHandle(h -> h.createQuery("""
                        SELECT seq || '|' || text || '|' || erased FROM message_history
                         WHERE conversation_id = CAST(:id AS uuid) AND sender_id = :seeker ORDER BY seq""")
                .bind("id", DIRECT).bind("seeker", GoldenScript.SEEKER).mapTo(String.class).list());
        assertThat(seekers).isNotEmpty().allSatisfy(row -> assertThat(row).endsWith("||true"));
        var replay = api.get("api/compliance/conversations/" + DIRECT + "/events?reason=golden", auditor).body()
                .toString();
        // the golden (plain) text stays in the record; the one sealed since cannot be read any more
        assertThat(replay).contains("Hello, is the role still open?").doesNotContain("See you then");
        assertThat(api.get("api/compliance/conversations/" + DIRECT + "/verify?reason=golden", auditor).body()
                .path("intact").asBoolean()).isTrue();
    }

    private static String conversation(String kind) {
        return ROWS.stream().filter(row -> row.payload().contains("\"kind\":\"" + kind + "\""))
                .map(GoldenRecords.Row::aggregateIdentifier).findFirst().orElseThrow();
    }
}
