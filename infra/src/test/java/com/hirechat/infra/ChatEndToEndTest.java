package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The product end to end: real server, real PostgreSQL, real WebSocket and HTTP clients over real sockets. */
class ChatEndToEndTest {

    private static ChatApplication app;
    private static ApiClient api;
    private static Jdbi db;

    @BeforeAll
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        db = Jdbi.create(app.dataSource());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String user(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long storedEvents(String conversationId) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", conversationId).mapTo(Long.class).one());
    }

    @Test
    void twoParticipantsChatLiveAndTheMessageIsInHistory() {
        var seeker = user("seeker");
        var recruiter = user("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);

        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            seekerSocket.subscribe(conversation);
            recruiterSocket.subscribe(conversation);

            seekerSocket.sendMessage(conversation, "c-1", "Hello! Is the Java role still open?");

            var ack = seekerSocket.awaitType("ack");
            assertThat(ack.path("clientMessageId").asText()).isEqualTo("c-1");
            assertThat(ack.path("seq").asLong()).isEqualTo(1);
            assertThat(ack.path("messageId").asText()).isNotBlank();
            var delivered = recruiterSocket.awaitType("message");
            assertThat(delivered.path("text").asText()).isEqualTo("Hello! Is the Java role still open?");
            assertThat(delivered.path("senderId").asText()).isEqualTo(seeker);
            assertThat(delivered.path("seq").asLong()).isEqualTo(1);
            assertThat(delivered.path("messageId").asText()).isEqualTo(ack.path("messageId").asText());
            assertThat(delivered.path("conversationId").asText()).isEqualTo(conversation);

            recruiterSocket.sendMessage(conversation, "r-1", "Yes, it is.");
            assertThat(seekerSocket.awaitFrame(f -> f.path("type").asText().equals("message")
                    && f.path("seq").asLong() == 2).path("text").asText()).isEqualTo("Yes, it is.");
        }

        var history = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("api/conversations/" + conversation + "/messages", recruiterToken),
                response -> response.body().path("messages").size() == 2);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body().path("messages").get(0).path("text").asText()).isEqualTo("Yes, it is.");
        assertThat(history.body().path("messages").get(1).path("text").asText())
                .isEqualTo("Hello! Is the Java role still open?");

        var contacts = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("api/contacts", recruiterToken).body().path("contacts"),
                list -> list.size() == 1 && list.get(0).path("lastSeq").asLong() == 2);
        assertThat(contacts.get(0).path("counterpartId").asText()).isEqualTo(seeker);
        assertThat(contacts.get(0).path("lastMessagePreview").asText()).isEqualTo("Yes, it is.");
        assertThat(contacts.get(0).path("unreadCount").asInt()).isEqualTo(1);
    }

    @Test
    void twoSendersUsingTheSameClientMessageIdBothHaveTheirMessageStored() {
        var seeker = user("seeker");
        var recruiter = user("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);

        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            seekerSocket.sendMessage(conversation, "msg-1", "from the seeker");
            var seekerAck = seekerSocket.awaitType("ack");
            recruiterSocket.sendMessage(conversation, "msg-1", "from the recruiter");
            var recruiterAck = recruiterSocket.awaitType("ack");

            assertThat(recruiterAck.path("seq").asLong()).isEqualTo(seekerAck.path("seq").asLong() + 1);
            assertThat(recruiterAck.path("messageId").asText()).isNotEqualTo(seekerAck.path("messageId").asText());

            // a retry by either sender still answers with that sender's own original, and stores nothing
            seekerSocket.clear();
            seekerSocket.sendMessage(conversation, "msg-1", "from the seeker");
            assertThat(seekerSocket.awaitType("ack").path("messageId").asText())
                    .isEqualTo(seekerAck.path("messageId").asText());
            var retried = api.post("api/conversations/" + conversation + "/messages", recruiterToken,
                    "{\"clientMessageId\":\"msg-1\",\"text\":\"from the recruiter\"}");
            assertThat(retried.body().path("messageId").asText()).isEqualTo(recruiterAck.path("messageId").asText());
            assertThat(retried.body().path("seq").asLong()).isEqualTo(recruiterAck.path("seq").asLong());
        }

        var history = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("api/conversations/" + conversation + "/messages", recruiterToken).body().path("messages"),
                messages -> messages.size() == 2);
        assertThat(history.get(0).path("text").asText()).isEqualTo("from the recruiter");
        assertThat(history.get(0).path("senderId").asText()).isEqualTo(recruiter);
        assertThat(history.get(1).path("text").asText()).isEqualTo("from the seeker");
        assertThat(history.get(1).path("senderId").asText()).isEqualTo(seeker);
        // the start and the two messages: the retries stored nothing
        assertThat(storedEvents(conversation)).isEqualTo(3);
    }

    @Test
    void everyStoredEventNamesTheCommandItCameFromAndItsChain() throws Exception {
        var seekerToken = api.login(user("seeker"));
        var conversation = api.startConversation(seekerToken, user("recruiter"));
        api.post("api/conversations/" + conversation + "/messages", seekerToken,
                "{\"clientMessageId\":\"m-1\",\"text\":\"hello\"}");

        var metaData = db.withHandle(h -> h.createQuery("""
                        SELECT convert_from(meta_data, 'UTF8') FROM domain_event_entry
                         WHERE aggregate_identifier = :id ORDER BY sequence_number""")
                .bind("id", conversation).mapTo(String.class).list());
        assertThat(metaData).hasSize(2);
        var json = new ObjectMapper();
        var started = json.readTree(metaData.get(0));
        var sent = json.readTree(metaData.get(1));
        for (var event : List.of(started, sent)) {
            assertThat(event.path("correlationId").asText()).isNotBlank();
            assertThat(event.path("traceId").asText()).isNotBlank();
            assertThat(event.path("chainHash").asText()).hasSize(64);
        }
        assertThat(sent.path("correlationId").asText()).as("each command its own")
                .isNotEqualTo(started.path("correlationId").asText());
    }

    @Test
    void startingTheSameConversationFromEitherSideGivesOneId() {
        var seeker = user("seeker");
        var recruiter = user("recruiter");
        var fromSeeker = api.startConversation(api.login(seeker), recruiter);
        var fromRecruiter = api.startConversation(api.login(recruiter), seeker);
        var again = api.startConversation(api.login(seeker), recruiter);

        assertThat(fromRecruiter).isEqualTo(fromSeeker);
        assertThat(again).isEqualTo(fromSeeker);
        assertThat(storedEvents(fromSeeker)).isEqualTo(1);
    }

    @Test
    void aNonParticipantCanNeitherSendNorSubscribeNorReadAndNothingIsStored() {
        var seeker = user("seeker");
        var recruiter = user("recruiter");
        var seekerToken = api.login(seeker);
        var conversation = api.startConversation(seekerToken, recruiter);
        var outsiderToken = api.login(user("outsider"));

        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var outsider = WsClient.connect(api.base(), outsiderToken)) {
            seekerSocket.subscribe(conversation);
            outsider.sendMessage(conversation, "x-1", "let me in");
            var refused = outsider.awaitType("error");
            assertThat(refused.path("code").asText()).isEqualTo("not_a_participant");
            assertThat(refused.path("clientMessageId").asText()).isEqualTo("x-1");
            assertThat(outsider.framesOfType("ack")).isEmpty();

            outsider.clear();
            outsider.subscribe(conversation, 0);
            assertThat(outsider.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");

            // a real message afterwards reaches the participant and not the outsider
            seekerSocket.sendMessage(conversation, "s-1", "only for the recruiter");
            seekerSocket.awaitType("ack");
            assertThat(seekerSocket.awaitType("message").path("seq").asLong()).isEqualTo(1);
            assertThat(outsider.framesOfType("message")).isEmpty();
        }

        var read = api.get("api/conversations/" + conversation + "/messages", outsiderToken);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.errorCode()).isEqualTo("not_a_participant");
        assertThat(read.body().path("messages").isMissingNode()).isTrue();
        var send = api.post("api/conversations/" + conversation + "/messages", outsiderToken,
                "{\"clientMessageId\":\"x-2\",\"text\":\"hi\"}");
        assertThat(send.status()).isEqualTo(403);
        // ConversationStarted and the participant's one message: the outsider stored nothing
        assertThat(storedEvents(conversation)).isEqualTo(2);
    }

    @Test
    void aConversationThatDoesNotExistLooksLikeOneYouAreNotIn() {
        var token = api.login(user("guesser"));
        var guessed = UUID.randomUUID().toString();
        var send = api.post("api/conversations/" + guessed + "/messages", token,
                "{\"clientMessageId\":\"g-1\",\"text\":\"hello?\"}");
        var read = api.get("api/conversations/" + guessed + "/messages", token);

        assertThat(send.status()).isEqualTo(403);
        assertThat(send.errorCode()).isEqualTo("not_a_participant");
        assertThat(read.status()).isEqualTo(403);
        assertThat(storedEvents(guessed)).isZero();
    }

    @Test
    void aRetriedSendGetsTheOriginalAckAndStoresOneMessage() {
        var seeker = user("seeker");
        var token = api.login(seeker);
        var conversation = api.startConversation(token, user("recruiter"));

        try (var socket = WsClient.connect(api.base(), token)) {
            socket.sendMessage(conversation, "same-id", "first try");
            var first = socket.awaitType("ack");
            socket.clear();
            socket.sendMessage(conversation, "same-id", "first try");
            var second = socket.awaitType("ack");

            assertThat(second.path("messageId").asText()).isEqualTo(first.path("messageId").asText());
            assertThat(second.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
            assertThat(second.path("sentAt").asText()).isEqualTo(first.path("sentAt").asText());
        }
        assertThat(storedEvents(conversation)).isEqualTo(2);
    }

    @Test
    void resubscribingAfterASeqReplaysEveryMissedMessageInOrderOnce() {
        var seeker = user("seeker");
        var recruiter = user("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);
        for (int i = 1; i <= 5; i++) {
            var ack = api.post("api/conversations/" + conversation + "/messages", seekerToken,
                    "{\"clientMessageId\":\"m-" + i + "\",\"text\":\"message " + i + "\"}");
            assertThat(ack.status()).isEqualTo(200);
        }

        try (var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            recruiterSocket.subscribe(conversation, 2);
            recruiterSocket.awaitFrame(f -> f.path("seq").asLong() == 5);
            api.post("api/conversations/" + conversation + "/messages", seekerToken,
                    "{\"clientMessageId\":\"m-6\",\"text\":\"message 6\"}");
            recruiterSocket.awaitFrame(f -> f.path("seq").asLong() == 6);

            assertThat(recruiterSocket.messages(conversation)).extracting(f -> f.path("seq").asLong())
                    .containsExactly(3L, 4L, 5L, 6L);
            assertThat(recruiterSocket.framesOfType("subscribed")).hasSize(1);
        }
    }

    @Test
    void malformedFramesGetStableErrorCodesAndTheConnectionSurvives() {
        var token = api.login(user("fuzzer"));
        var conversation = api.startConversation(token, user("other"));
        try (var socket = WsClient.connect(api.base(), token)) {
            assertThat(errorFor(socket, "{not json")).isEqualTo("bad_json");
            assertThat(errorFor(socket, "[1,2,3]")).isEqualTo("bad_json");
            assertThat(errorFor(socket, "{\"type\":\"launch\"}")).isEqualTo("unknown_type");
            assertThat(errorFor(socket, "{\"text\":\"no type\"}")).isEqualTo("missing_field");
            assertThat(errorFor(socket, "{\"type\":42}")).isEqualTo("invalid_field");
            assertThat(errorFor(socket, "{\"type\":\"send\",\"conversationId\":\"" + conversation
                    + "\",\"clientMessageId\":\"c\"}")).isEqualTo("missing_field");
            assertThat(errorFor(socket, "{\"type\":\"send\",\"conversationId\":\"" + conversation
                    + "\",\"clientMessageId\":\"c\",\"text\":\"   \"}")).isEqualTo("empty_text");
            assertThat(errorFor(socket, "{\"type\":\"send\",\"conversationId\":\"" + conversation
                    + "\",\"clientMessageId\":\"c\",\"text\":\"" + "x".repeat(4001) + "\"}")).isEqualTo("text_too_long");
            assertThat(errorFor(socket, "{\"type\":\"send\",\"conversationId\":\"chat-99-500\","
                    + "\"clientMessageId\":\"c\",\"text\":\"hi\"}")).isEqualTo("invalid_conversation_id");
            assertThat(errorFor(socket, "{\"type\":\"send\",\"conversationId\":\"" + conversation
                    + "\",\"clientMessageId\":\"has space\",\"text\":\"hi\"}")).isEqualTo("invalid_client_message_id");
            assertThat(errorFor(socket, "{\"type\":\"subscribe\",\"conversationId\":\"" + conversation
                    + "\",\"afterSeq\":-1}")).isEqualTo("invalid_field");
            assertThat(errorFor(socket, "{\"type\":\"subscribe\",\"conversationId\":\"" + conversation
                    + "\",\"afterSeq\":\"5\"}")).isEqualTo("invalid_field");
            assertThat(errorFor(socket, "{\"type\":\"subscribe\",\"conversationId\":\"" + conversation
                    + "\",\"afterSeq\":123456789012345678901234567890}")).isEqualTo("invalid_field");
            assertThat(errorFor(socket, "{\"a\":".repeat(100) + "1" + "}".repeat(100))).isEqualTo("bad_json");

            socket.send("{\"type\":\"ping\"}");
            socket.awaitType("pong");
        }
        assertThat(storedEvents(conversation)).isEqualTo(1);
    }

    @Test
    void theGroupExampleOfApiMdWorksVerbatimWhetherOrNotTheCallerIsListed() throws Exception {
        var example = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "api.md")).stream()
                .filter(line -> line.startsWith("{\"participants\""))
                .findFirst().orElseThrow();
        // the example's caller is listed among its participants
        var listed = api.post("api/conversations", api.login("seeker-99"), example);
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.body().path("kind").asText()).isEqualTo("GROUP");
        assertThat(groupMembers(listed.body().path("conversationId").asText(), "seeker-99"))
                .containsExactlyInAnyOrder("seeker-99", "hiring-manager");
        // and a caller who is not listed is added
        var notListed = api.post("api/conversations", api.login("recruiter-500"), example);
        assertThat(notListed.status()).as(notListed.toString()).isEqualTo(200);
        assertThat(groupMembers(notListed.body().path("conversationId").asText(), "recruiter-500"))
                .containsExactlyInAnyOrder("recruiter-500", "seeker-99", "hiring-manager");
        // the rest of the rule stays: someone listed twice is still refused
        var twice = api.post("api/conversations", api.login("seeker-99"),
                "{\"participants\": [\"hiring-manager\", \"hiring-manager\"], \"title\": \"Twice\"}");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.errorCode()).isEqualTo("invalid_participants");
    }

    private static List<String> groupMembers(String conversation, String member) {
        var header = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("api/conversations/" + conversation, api.login(member)), r -> r.status() == 200);
        return java.util.stream.StreamSupport.stream(header.body().path("participants").spliterator(), false)
                .map(p -> p.path("userId").asText()).toList();
    }

    private static String errorFor(WsClient socket, String frame) {
        socket.clear();
        socket.send(frame);
        JsonNode error = socket.awaitType("error");
        assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception");
        return error.path("code").asText();
    }

    @Test
    void badHttpInputGetsStableCodes() throws Exception {
        var token = api.login(user("client"));
        var conversation = api.startConversation(token, user("other"));

        assertThat(api.get("api/contacts", null).errorCode()).isEqualTo("unauthenticated");
        assertThat(api.get("api/contacts", "not-a-token").errorCode()).isEqualTo("invalid_token");
        assertThat(api.get("api/contacts", token + "x").status()).isEqualTo(401);
        assertThat(api.get("api/conversations/chat-99-500/messages", token).errorCode())
                .isEqualTo("invalid_conversation_id");
        assertThat(api.get("api/conversations/" + conversation + "/messages?limit=0", token).errorCode())
                .isEqualTo("invalid_parameter");
        assertThat(api.get("api/conversations/" + conversation + "/messages?before=-3", token).errorCode())
                .isEqualTo("invalid_parameter");
        assertThat(api.get("api/contacts?after=garbage", token).errorCode()).isEqualTo("invalid_parameter");
        assertThat(api.post("api/conversations", token, "{\"with\":").errorCode()).isEqualTo("bad_json");
        assertThat(api.post("api/conversations", token, "{\"with\":7}").errorCode()).isEqualTo("invalid_field");
        assertThat(api.post("api/conversations", token, "{\"with\":\"no spaces allowed\"}").errorCode())
                .isEqualTo("invalid_user_id");
        assertThat(api.postBytes("api/conversations", token, new byte[] {'{', '"', 'w', (byte) 0xC3, '"', '}'})
                .errorCode()).isEqualTo("invalid_utf8");
        assertThat(api.get("api/nothing-here", token).status()).isEqualTo(404);
        assertThat(api.post("api/conversations/" + conversation + "/messages", token, "").errorCode())
                .isEqualTo("bad_json");
        // one body is one JSON value: what follows it is not ignored
        for (var trailing : List.of("{\"clientMessageId\":\"t\",\"text\":\"a\"}garbage",
                "{\"clientMessageId\":\"t\",\"text\":\"a\"}{\"clientMessageId\":\"u\",\"text\":\"b\"}",
                "{\"clientMessageId\":\"t\",\"text\":\"a\"} 1")) {
            assertThat(api.post("api/conversations/" + conversation + "/messages", token, trailing).errorCode())
                    .as(trailing).isEqualTo("bad_json");
        }
        assertThat(announcedBodyTooLarge(token)).startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");
        assertThat(storedEvents(conversation)).isEqualTo(1);
    }

    @Test
    void theBrowserClientIsServedAndCachesRevalidate() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var page = http.send(java.net.http.HttpRequest.newBuilder(app.uri()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<script type=\"module\" src=\"/app.js\">");
        var etag = page.headers().firstValue("ETag");
        if (etag.isPresent()) {
            var again = http.send(java.net.http.HttpRequest.newBuilder(app.uri())
                    .header("If-None-Match", etag.get()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(304);
        }
        var missing = api.get("no-such-file.css", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo("not_found");
    }

    /**
     * Announces a 300 kB body and sends none: the server refuses on the announced length, before routing it further.
     * (Sending the body with a normal client races the server closing the connection after its answer.)
     */
    private static String announcedBodyTooLarge(String token) throws Exception {
        var base = app.uri();
        try (var socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            var request = "POST /api/conversations HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 300000\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // the answer, whether or not the server then closes the connection (it reads no body it will refuse)
            var answer = new java.io.ByteArrayOutputStream();
            var in = socket.getInputStream();
            for (int b; !answer.toString(java.nio.charset.StandardCharsets.UTF_8).endsWith("}}") && (b = in.read()) >= 0; ) {
                answer.write(b);
            }
            return answer.toString(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void aWebSocketWithoutAValidTokenIsRefusedAtTheUpgrade() {
        for (var token : new String[] {"", "garbage", api.login(user("someone")) + "tampered"}) {
            assertThatThrownBy(() -> WsClient.connect(api.base(), token))
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
        }
    }
}
