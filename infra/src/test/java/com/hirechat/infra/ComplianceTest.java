package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/** Compliance reads of the record: replay with every version, the transcript as of an instant, exports. */
class ComplianceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChatApplication app;
    private static ApiClient api;
    private static String group;
    private static Instant afterSends;
    private static Instant afterEdits;
    private static Instant afterRemoval;
    private static String auditor;
    private static String auditorToken;

    @BeforeAll
    static void scriptAConversation() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        var lead = api.login("lead");
        var candidate = api.login("candidate");
        group = api.post("api/conversations", lead,
                "{\"participants\":[\"manager\",\"candidate\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        var first = send(lead, "l-1", "first draft, \"quoted\"");
        var phone = send(candidate, "c-1", "my phone: 555-0100");
        afterSends = Instant.now();
        api.patch("api/conversations/" + group + "/messages/" + first, lead, "{\"text\":\"final text\"}");
        api.delete("api/conversations/" + group + "/messages/" + phone, candidate);
        afterEdits = Instant.now();
        api.delete("api/conversations/" + group + "/participants/candidate", lead);
        send(lead, "l-2", "after the candidate left");
        afterRemoval = Instant.now();
        auditor = "auditor";
        auditorToken = api.loginWithRoles(auditor, "compliance");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String send(String token, String clientId, String text) {
        var ack = api.post("api/conversations/" + group + "/messages", token,
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":" + JSON.valueToTree(text) + "}");
        assertThat(ack.status()).isEqualTo(200);
        return ack.body().path("messageId").asText();
    }

    private static List<String> transcriptAt(Instant instant) {
        var body = api.get("api/compliance/conversations/" + group + "/transcript?reason=audit&asOf=" + instant,
                auditorToken).body();
        var lines = new ArrayList<String>();
        body.path("messages").forEach(m -> lines.add(m.path("removed").asBoolean() ? "[removed]" : m.path("text").asText()));
        return lines;
    }

    @Test
    void replayShowsEveryVersionInOrder() {
        var events = api.get("api/compliance/conversations/" + group + "/events?reason=audit", auditorToken).body()
                .path("events");
        var types = new ArrayList<String>();
        events.forEach(e -> types.add(e.path("type").asText()));
        assertThat(types).containsExactly("ConversationStarted", "MessageSent", "MessageSent", "MessageEdited",
                "MessageRedacted", "ParticipantRemoved", "MessageSent");
        assertThat(events.toString()).contains("first draft", "final text", "555-0100");
    }

    @Test
    void theTranscriptAsOfThreeInstantsIsWhatParticipantsSawThen() {
        assertThat(transcriptAt(afterSends)).containsExactly("first draft, \"quoted\"", "my phone: 555-0100");
        assertThat(transcriptAt(afterEdits)).containsExactly("final text", "[removed]");
        assertThat(transcriptAt(afterRemoval)).containsExactly("final text", "[removed]", "after the candidate left");
        assertThat(api.get("api/compliance/conversations/" + group + "/transcript?reason=x&asOf=yesterday", auditorToken)
                .errorCode()).isEqualTo("invalid_parameter");
    }

    @Test
    void jsonLinesAndCsvExportsParseBackToTheSameEvents() throws Exception {
        var replay = api.get("api/compliance/conversations/" + group + "/events?reason=audit", auditorToken).body()
                .path("events");

        var jsonl = download("jsonl");
        var parsed = new ArrayList<JsonNode>();
        for (var line : jsonl.strip().split("\n")) {
            parsed.add(JSON.readTree(line));
        }
        assertThat(parsed).hasSize(replay.size());
        for (int i = 0; i < parsed.size(); i++) {
            // the stored payload (texts sealed) is what the chain covers; beside it the event as read
            assertThat(parsed.get(i).path("opened")).isEqualTo(replay.get(i).path("event"));
        }

        var csv = download("csv");
        MappingIterator<Map<String, String>> rows = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv);
        var all = rows.readAll();
        assertThat(all).hasSize(replay.size());
        assertThat(all.get(1)).containsEntry("type", "MessageSent").containsEntry("text", "first draft, \"quoted\"")
                .containsEntry("actor", "lead");
        assertThat(all.get(3)).containsEntry("type", "MessageEdited").containsEntry("text", "final text");
    }

    @Test
    void verifyHoldsForTheRecordAndNamesTheFirstAlteredEvent() {
        var verified = api.get("api/compliance/conversations/" + group + "/verify?reason=audit", auditorToken).body();
        assertThat(verified.path("intact").asBoolean()).isTrue();
        assertThat(verified.path("checkedEvents").asLong()).isEqualTo(7);

        var seeker = api.login("whistle");
        var conversation = api.startConversation(seeker, "blower");
        for (var text : List.of("I accept the offer of 50000", "see you monday", "thanks")) {
            api.post("api/conversations/" + conversation + "/messages", seeker,
                    "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + text + "\"}");
        }
        var path = "api/compliance/conversations/" + conversation + "/verify?reason=audit";
        assertThat(api.get(path, auditorToken).body().path("intact").asBoolean()).isTrue();

        // someone with database access rewrites history (the sealed text: the stored payload holds no other)
        int altered = Jdbi.create(app.dataSource()).withHandle(h -> h.createUpdate(
                        "UPDATE domain_event_entry SET payload = convert_to(replace(convert_from(payload, 'UTF8'), "
                                + "'\"ciphertext\":\"', '\"ciphertext\":\"A'), 'UTF8') "
                                + "WHERE aggregate_identifier = :id AND sequence_number = 1")
                .bind("id", conversation).execute());
        assertThat(altered).isEqualTo(1);

        var broken = api.get(path, auditorToken).body();
        assertThat(broken.path("intact").asBoolean()).isFalse();
        assertThat(broken.path("firstBrokenSeq").asLong()).isEqualTo(1);
        assertThat(broken.path("checkedEvents").asLong()).isEqualTo(1);
    }

    @Test
    void everyComplianceReadIsOnFile() {
        api.get("api/compliance/conversations/" + group + "/events?reason=case%207", auditorToken);
        var entries = Jdbi.create(app.dataSource()).withHandle(h -> h.createQuery(
                        "SELECT action FROM compliance_access_log WHERE accessed_by = :who AND reason = 'case 7'")
                .bind("who", auditor).mapTo(String.class).list());
        assertThat(entries).containsExactly("replay");
        assertThat(api.get("api/compliance/conversations/" + group + "/export?format=pdf&reason=x", auditorToken)
                .errorCode()).isEqualTo("invalid_parameter");
        assertThat(api.get("api/compliance/conversations/" + group + "/export?reason=x", api.login("lead"))
                .errorCode()).isEqualTo("forbidden");
        // the caller is checked before the parameters: who, then whether they may, then what they asked
        var badTranscript = "api/compliance/conversations/" + group + "/transcript?reason=x&asOf=yesterday";
        assertThat(api.get("api/compliance/conversations/" + group + "/transcript?reason=x", null).status()).isEqualTo(401);
        assertThat(api.get(badTranscript, api.login("lead")).status()).isEqualTo(403);
        assertThat(api.get(badTranscript, api.login("lead")).errorCode()).isEqualTo("forbidden");
        assertThat(api.get("api/compliance/conversations/" + group + "/export?format=xml&reason=x", api.login("lead"))
                .errorCode()).isEqualTo("forbidden");
    }

    private static String download(String format) throws Exception {
        var uri = URI.create(app.uri() + "api/compliance/conversations/" + group + "/export?format=" + format
                + "&reason=audit");
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + auditorToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
