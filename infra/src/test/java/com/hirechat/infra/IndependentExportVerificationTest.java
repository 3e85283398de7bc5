package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An export verifies with {@link IndependentExportVerifier} (no project code), and any tampering with it fails. */
class IndependentExportVerificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChatApplication app;
    private static String export;

    @BeforeAll
    static void exportAConversationOfEveryShape() throws Exception {
        app = TestServers.onFreshDatabase();
        var api = new ApiClient(app.uri());
        var lead = api.login("lead");
        api.login("panel-2");
        var group = api.post("api/conversations", lead,
                "{\"participants\":[\"panel-1\",\"candidate\"],\"title\":\"Pänel \\\"A\\\"\"}").body()
                .path("conversationId").asText();
        // texts whose canonical form needs care: quotes, backslashes, control characters, non-ASCII, astral planes
        var texts = List.of("plain", "\"quoted\" \\ back\\slash", "tab\tnew\nline\u0001", "café ünïcode €",
                "emoji 😀 and \u2028 separator", "<script>alert(1)</script>");
        String first = null;
        for (int i = 0; i < texts.size(); i++) {
            var ack = api.post("api/conversations/" + group + "/messages", lead,
                    "{\"clientMessageId\":\"m" + i + "\",\"text\":" + JSON.writeValueAsString(texts.get(i)) + "}");
            assertThat(ack.status()).isEqualTo(200);
            first = first == null ? ack.body().path("messageId").asText() : first;
        }
        api.patch("api/conversations/" + group + "/messages/" + first, lead, "{\"text\":\"edited\"}");
        api.delete("api/conversations/" + group + "/messages/" + first, lead);
        api.post("api/conversations/" + group + "/participants", lead, "{\"userId\":\"panel-2\"}");
        api.delete("api/conversations/" + group + "/participants/candidate", lead);
        // a message with a file: its hash and size are in the chain, its bytes in the ZIP export
        var upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri() + "api/conversations/"
                        + group + "/attachments?name=offer.pdf")).header("Authorization", "Bearer " + lead)
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestFiles.pdf())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(201);
        var fileId = JSON.readTree(upload.body()).path("id").asText();
        assertThat(api.post("api/conversations/" + group + "/messages", lead,
                "{\"clientMessageId\":\"file\",\"text\":\"the offer\",\"attachments\":[\"" + fileId + "\"]}").status())
                .isEqualTo(200);
        var auditor = api.loginWithRoles("auditor", "compliance");
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri()
                        + "api/compliance/conversations/" + group + "/export?format=jsonl&reason=audit"))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        export = response.body();
        var zipped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri()
                        + "api/compliance/conversations/" + group + "/export?format=zip&reason=audit"))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zipped.statusCode()).isEqualTo(200);
        assertThat(zipped.headers().firstValue("Content-Type")).hasValue("application/zip");
        zip = zipped.body();
    }

    private static byte[] zip;

    @Test
    void theZipExportsFilesVerifyAgainstTheChainWithoutTheProjectsCode() {
        assertThat(IndependentExportVerifier.zipProblem(zip)).isNull();
    }

    @Test
    void aChangedOrMissingFileInTheZipIsRejected() throws Exception {
        var entries = new java.util.LinkedHashMap<String, byte[]>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), in.readAllBytes());
            }
        }
        var file = entries.keySet().stream().filter(name -> name.startsWith("files/")).findFirst().orElseThrow();
        var changed = new java.util.LinkedHashMap<>(entries);
        var bytes = entries.get(file).clone();
        bytes[bytes.length - 2] ^= 1;
        changed.put(file, bytes);
        assertThat(IndependentExportVerifier.zipProblem(zipOf(changed))).contains("does not match its record");
        var missing = new java.util.LinkedHashMap<>(entries);
        missing.remove(file);
        assertThat(IndependentExportVerifier.zipProblem(zipOf(missing))).contains("missing from the archive");
    }

    private static byte[] zipOf(java.util.Map<String, byte[]> entries) throws java.io.IOException {
        var out = new java.io.ByteArrayOutputStream();
        try (var zipOut = new java.util.zip.ZipOutputStream(out)) {
            for (var entry : entries.entrySet()) {
                zipOut.putNextEntry(new java.util.zip.ZipEntry(entry.getKey()));
                zipOut.write(entry.getValue());
                zipOut.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void theExportVerifiesWithoutTheProjectsCode() throws Exception {
        var lines = export.strip().split("\n");
        // started, six sends, an edit, a removal, a participant added and one removed, a send with a file
        assertThat(lines).hasSize(12);
        assertThat(IndependentExportVerifier.firstBadLine(export)).isZero();
        var firstLink = JSON.readTree(lines[0]).path("chain");
        assertThat(firstLink.path("scheme").asInt()).isEqualTo(2);
        assertThat(firstLink.path("previousHash").asText()).isEmpty();
        assertThat(firstLink.path("type").asText()).isEqualTo("com.hirechat.domain.ConversationStarted");
        assertThat(firstLink.path("revision").asText()).isEqualTo("1");
    }

    @Test
    void aChangedTextIsRejected() throws Exception {
        // the chain covers the text as stored, sealed: the plain text is only in the line's opened event
        var n = line("café");
        var lines = export.strip().split("\n");
        var tampered = (ObjectNode) JSON.readTree(lines[n - 1]);
        assertThat(tampered.path("event").toString()).doesNotContain("café");
        var sealed = (ObjectNode) tampered.path("event").path("text");
        var ciphertext = sealed.path("ciphertext").asText();
        sealed.put("ciphertext", (ciphertext.startsWith("A") ? "B" : "A") + ciphertext.substring(1));
        lines[n - 1] = JSON.writeValueAsString(tampered);
        assertThat(IndependentExportVerifier.firstBadLine(String.join("\n", lines))).isEqualTo(n);
    }

    @Test
    void aChangedHashIsRejected() throws Exception {
        var third = JSON.readTree(export.strip().split("\n")[2]).path("chain").path("hash").asText();
        var forged = IndependentExportVerifier.sha256("forged");
        var tampered = export.replace("\"hash\":\"" + third + "\"", "\"hash\":\"" + forged + "\"");
        assertThat(tampered).isNotEqualTo(export);
        assertThat(IndependentExportVerifier.firstBadLine(tampered)).isEqualTo(3);
    }

    @Test
    void aRemovedLineIsRejected() {
        assertThat(IndependentExportVerifier.firstBadLine(IndependentExportVerifier.without(export, 4))).isEqualTo(4);
    }

    @Test
    void reorderedLinesAreRejected() {
        assertThat(IndependentExportVerifier.firstBadLine(IndependentExportVerifier.swapped(export, 3, 5)))
                .isEqualTo(3);
    }

    @Test
    void aRewrittenLineWithItsOwnCanonicalTextAndHashIsStillCaughtByTheNextLink() throws Exception {
        // a forger who recomputes the altered line's canonical text and hash breaks the link after it instead
        var lines = export.strip().split("\n");
        var n = line("café");
        var forged = (ObjectNode) JSON.readTree(lines[n - 1]);
        ((ObjectNode) forged.path("event")).put("text", "forged");
        var link = (ObjectNode) forged.path("chain");
        var envelope = JSON.createObjectNode();
        envelope.set("conversationId", link.path("conversationId"));
        envelope.set("seq", link.path("seq"));
        envelope.set("type", link.path("type"));
        envelope.set("revision", link.path("revision"));
        envelope.set("payload", forged.path("event"));
        var canonical = IndependentExportVerifier.canonical(envelope);
        link.put("canonical", canonical);
        link.put("hash", IndependentExportVerifier.sha256(link.path("previousHash").asText() + "\n" + canonical));
        lines[n - 1] = JSON.writeValueAsString(forged);
        assertThat(IndependentExportVerifier.firstBadLine(String.join("\n", lines))).isEqualTo(n + 1);
    }

    private static int line(String containing) {
        var lines = export.strip().split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(containing)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line contains " + containing);
    }
}
