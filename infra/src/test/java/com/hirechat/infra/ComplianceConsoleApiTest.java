package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.hirechat.projections.TestDatabase;

/**
 * The console's APIs (docs/compliance.md#console): search with its filters and what it must not find, the access log,
 * selection exports equal byte for byte to the command line's, the erasure's dry run, and their refusals.
 */
class ComplianceConsoleApiTest {

    private static TestDatabase.Coordinates database;
    private static ChatApplication app;
    private static ApiClient api;
    private static String auditor;
    private static String direct;
    private static String group;

    @BeforeAll
    static void scriptConversations() {
        database = TestServers.freshDatabase();
        app = TestServers.on(database, Map.of());
        api = new ApiClient(app.uri());
        var seeker = api.login("search-seeker");
        var lead = api.login("search-lead");
        api.login("search-other");
        direct = api.post("api/conversations", seeker,
                "{\"with\":\"search-lead\",\"job\":{\"id\":\"job-77\",\"title\":\"Welder\"}}").body()
                .path("conversationId").asText();
        group = api.post("api/conversations", lead,
                "{\"participants\":[\"search-other\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        send(seeker, direct, "s-1", "The salary offer looks fine");
        send(lead, direct, "l-1", "Offer letter follows tomorrow");
        var draft = send(lead, direct, "l-2", "a secret draft");
        var removed = send(lead, direct, "l-3", "bribery remark");
        send(lead, group, "g-1", "the offer for the welder");
        api.patch("api/conversations/" + direct + "/messages/" + draft, lead, "{\"text\":\"a published note\"}");
        api.delete("api/conversations/" + direct + "/messages/" + removed, lead);
        auditor = api.loginWithRoles("auditor-1", "compliance");
        TestServers.awaitProjectionsCaughtUp(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String send(String token, String conversation, String clientId, String text) {
        var ack = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).isEqualTo(200);
        return ack.body().path("messageId").asText();
    }

    private static ApiClient.Response search(String query) {
        return api.get("api/compliance/search?reason=case-1&" + query, auditor);
    }

    private static List<String> found(String query) {
        var ids = new ArrayList<String>();
        search(query).body().path("conversations").forEach(hit -> ids.add(hit.path("conversationId").asText()));
        return ids;
    }

    @Test
    void wordsFindConversationsWithMatchCountsAndTotals() {
        var body = search("q=offer").body();
        assertThat(body.path("totalConversations").asLong()).isEqualTo(2);
        assertThat(body.path("totalMatches").asLong()).isEqualTo(3);
        var counts = new java.util.HashMap<String, Long>();
        body.path("conversations").forEach(hit -> counts.put(hit.path("conversationId").asText(),
                hit.path("matches").asLong()));
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(direct, 2L, group, 1L));
        // web search syntax: a phrase, and a word excluded
        assertThat(found("q=" + encode("\"salary offer\""))).containsExactly(direct);
        assertThat(found("q=" + encode("offer -welder"))).containsExactly(direct);
    }

    @Test
    void filtersNarrowByParticipantJobAndDate() {
        assertThat(found("q=offer&participant=search-other")).containsExactly(group);
        assertThat(found("q=offer&job=job-77")).containsExactly(direct);
        assertThat(found("q=offer&from=2000-01-01T00:00:00Z&to=2000-01-02T00:00:00Z")).isEmpty();
        assertThat(found("participant=search-seeker")).containsExactly(direct);
    }

    @Test
    void pagesKeepTheTotals() {
        var first = search("q=offer&pageSize=1&page=1").body();
        var second = search("q=offer&pageSize=1&page=2").body();
        var beyond = search("q=offer&pageSize=1&page=3").body();
        assertThat(first.path("conversations")).hasSize(1);
        assertThat(second.path("conversations")).hasSize(1);
        assertThat(first.path("conversations").get(0)).isNotEqualTo(second.path("conversations").get(0));
        assertThat(beyond.path("conversations")).isEmpty();
        assertThat(beyond.path("totalConversations").asLong()).isEqualTo(2);
    }

    @Test
    void anEditReplacesTheSearchableTextAndARemovedMessageIsNotFound() {
        assertThat(found("q=secret")).isEmpty();
        assertThat(found("q=published")).containsExactly(direct);
        assertThat(found("q=bribery")).isEmpty();
    }

    @Test
    void badInputGetsStableCodes() {
        assertThat(api.get("api/compliance/search?q=offer", auditor).errorCode()).isEqualTo("missing_parameter");
        assertThat(search("from=yesterday").errorCode()).isEqualTo("invalid_parameter");
        assertThat(search("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").errorCode())
                .isEqualTo("invalid_parameter");
        assertThat(search("page=0").errorCode()).isEqualTo("invalid_parameter");
        assertThat(search("page=x").errorCode()).isEqualTo("invalid_parameter");
        assertThat(search("pageSize=101").errorCode()).isEqualTo("invalid_parameter");
        assertThat(search("q=" + "a".repeat(201)).errorCode()).isEqualTo("invalid_query");
        assertThat(search("participant=" + encode("no body")).errorCode()).isEqualTo("invalid_user_id");
        var unknown = search("participant=nobody-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("unknown_user");
        var noRole = api.get("api/compliance/search?reason=x&q=offer", api.login("search-seeker"));
        assertThat(noRole.status()).isEqualTo(403);
        assertThat(api.get("api/compliance/search?reason=x", null).errorCode()).isEqualTo("unauthenticated");

        var log = "api/compliance/access-log?reason=case-1&";
        assertThat(api.get(log + "from=soon", auditor).errorCode()).isEqualTo("invalid_parameter");
        assertThat(api.get(log + "page=-1", auditor).errorCode()).isEqualTo("invalid_parameter");
        assertThat(api.get(log + "conversation=nope", auditor).errorCode()).isEqualTo("invalid_conversation_id");
        assertThat(api.get("api/compliance/access-log", auditor).errorCode()).isEqualTo("missing_parameter");

        var export = "api/compliance/export?reason=case-1&";
        assertThat(api.get(export + "user=search-seeker", auditor).errorCode()).isEqualTo("missing_parameter");
        assertThat(api.get(export + "selection=everything", auditor).errorCode()).isEqualTo("invalid_parameter");
        assertThat(api.get(export + "selection=user", auditor).errorCode()).isEqualTo("missing_parameter");
        assertThat(api.get(export + "selection=user&user=nobody-here", auditor).errorCode()).isEqualTo("unknown_user");
        assertThat(api.get(export + "selection=user&user=search-seeker&format=pdf", auditor).errorCode())
                .isEqualTo("invalid_parameter");
    }

    @Test
    void everySearchIsInTheAccessLogWithItsReasonAndCriteria() {
        search("q=welder&job=job-77");
        var page = api.get("api/compliance/access-log?reason=review&actor=auditor-1&pageSize=200", auditor).body();
        var searches = new ArrayList<JsonNode>();
        page.path("entries").forEach(entry -> {
            if (entry.path("action").asText().equals("search")) {
                searches.add(entry);
            }
        });
        assertThat(searches).anySatisfy(entry -> {
            assertThat(entry.path("reason").asText()).isEqualTo("case-1");
            assertThat(entry.path("detail").asText()).isEqualTo("q=welder job=job-77");
        });
        assertThat(page.path("total").asLong()).isGreaterThanOrEqualTo(page.path("entries").size());
        assertThat(api.get("api/compliance/access-log?reason=review&actor=someone-else", auditor).body()
                .path("total").asLong()).isZero();
    }

    @Test
    void theAccessLogExportsAsCsv() throws Exception {
        api.get("api/compliance/conversations/" + group + "/verify?reason=csv-check", auditor);
        var csv = download("api/compliance/access-log/export?format=csv&reason=audit&conversation=" + group);
        assertThat(csv).startsWith("id,accessedAt,accessedBy,action,conversationId,reason,detail\n");
        var rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper().readerForMapOf(String.class)
                .with(com.fasterxml.jackson.dataformat.csv.CsvSchema.emptySchema().withHeader())
                .<Map<String, String>>readValues(csv).readAll();
        assertThat(rows).anySatisfy(row -> assertThat(row).containsEntry("accessedBy", "auditor-1")
                .containsEntry("action", "verify").containsEntry("conversationId", group)
                .containsEntry("reason", "csv-check"));
        assertThat(rows).allSatisfy(row -> assertThat(row).containsEntry("conversationId", group));
    }

    @Test
    void selectionExportsAreTheBytesTheCommandLineWrites(@TempDir Path dir) throws Exception {
        for (var format : List.of("jsonl", "csv")) {
            var http = download("api/compliance/export?selection=user&user=search-seeker&format=" + format
                    + "&reason=dsar");
            var file = dir.resolve("user." + format);
            var run = JarCommand.run(database, "export", "--user", "search-seeker", "--format", format,
                    "--out", file.toString(), "--reason", "dsar");
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(http).isNotEmpty().isEqualTo(Files.readString(file));
        }
        var http = download("api/compliance/export?selection=search&q=offer&format=jsonl&reason=case-1");
        var file = dir.resolve("search.jsonl");
        var run = JarCommand.run(database, "export", "--search", "offer", "--format", "jsonl",
                "--out", file.toString(), "--reason", "case-1");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("of 2 conversation(s)");
        assertThat(http).isEqualTo(Files.readString(file));
        assertThat(IndependentExportVerifier.firstBadLine(http.lines()
                .filter(line -> line.contains(group)).reduce("", (a, b) -> a + b + "\n"))).isZero();
    }

    @Test
    void theErasureDryRunCountsWhatWouldBecomeUnreadableAndChangesNothing() {
        var url = "api/compliance/users/search-other/erasure";
        var dry = api.post(url + "?dryRun=true", auditor, "{\"reason\":\"DSAR 9\"}");
        assertThat(dry.status()).isEqualTo(200);
        assertThat(dry.body().path("messages").asLong()).isZero();
        assertThat(dry.body().path("conversations").asLong()).isZero();

        var lead = api.post("api/compliance/users/search-lead/erasure?dryRun=true", auditor, "{\"reason\":\"DSAR 9\"}");
        assertThat(lead.body().path("dryRun").asBoolean()).isTrue();
        // three messages still readable (the removed one's text is still in the record) in two conversations
        assertThat(lead.body().path("messages").asLong()).isEqualTo(4);
        assertThat(lead.body().path("conversations").asLong()).isEqualTo(2);
        assertThat(lead.body().path("profileFields").asInt()).isZero();
        assertThat(lead.body().path("heldBy")).isEmpty();
        assertThat(found("q=offer")).hasSize(2);

        assertThat(api.post(url + "?dryRun=maybe", auditor, "{\"reason\":\"x\"}").errorCode())
                .isEqualTo("invalid_parameter");
        assertThat(api.post(url + "?dryRun=true", auditor, "{}").errorCode()).isEqualTo("missing_field");
        var unknown = api.post("api/compliance/users/nobody-here/erasure?dryRun=true", auditor, "{\"reason\":\"x\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("unknown_user");
    }

    @Test
    void erasedTextsAreNotSearchable() {
        var writer = api.login("erased-writer");
        var conversation = api.startConversation(writer, "search-lead");
        send(writer, conversation, "e-1", "zanzibar itinerary");
        await().atMost(Duration.ofSeconds(20)).until(() -> found("q=zanzibar").contains(conversation));
        assertThat(api.post("api/compliance/users/erased-writer/erasure", auditor, "{\"reason\":\"DSAR 10\"}")
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> found("q=zanzibar").isEmpty());
        // the conversation is still found by who took part: the record that it happened remains
        assertThat(found("participant=erased-writer")).containsExactly(conversation);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String download(String path) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri() + path))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
