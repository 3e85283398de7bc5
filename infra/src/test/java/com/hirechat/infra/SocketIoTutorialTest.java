package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The tutorial's page, unchanged but for io()'s URL and token, on the real socket.io-client against HireChat's
 * Socket.IO endpoint: join, send (socket and "save to DB" for each message), receive, reload history, contacts; over
 * polling with the upgrade and over WebSocket alone (docs/migrating-from-the-tutorial.md).
 */
class SocketIoTutorialTest {

    private static final String SEEKER = "99";
    private static final String RECRUITER = "500";
    /** What the tutorial's code computes: ["99", "500"].sort() orders as strings. */
    private static final String ROOM = "chat-500-99";

    private static ChatApplication server;

    @BeforeAll
    static void start() {
        server = TestServers.onFreshDatabase();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void thePageOverPollingWithTheUpgrade() {
        try (var seeker = TutorialPage.open(server.uri(), TestServers.token(SEEKER), SEEKER, "polling,websocket");
             var recruiter = TutorialPage.open(server.uri(), TestServers.token(RECRUITER), RECRUITER,
                     "polling,websocket")) {
            seeker.awaitEvent("connect", 1);
            recruiter.awaitEvent("connect", 1);
            // io() starts with long-polling and upgrades
            assertThat(seeker.awaitEvent("upgrade", 1).path("transport").asText()).isEqualTo("websocket");
            // both open the chat; the recruiter's join is in place before the seeker writes
            assertThat(recruiter.call("join_ack", "room", "chat-99-500").path("answer").path("ok").asBoolean())
                    .isTrue();
            // the page's own join: emit("join_room", roomId), no callback
            seeker.command("join", "with", RECRUITER);
            assertThat(seeker.awaitEvent("room_joined", 1).path("data").path("roomId").asText()).isEqualTo(ROOM);

            var first = seeker.call("page_send", "with", RECRUITER, "text", "Hello!", "order", "socket_first");
            assertThat(first.path("saved").path("status").asInt()).isEqualTo(201);
            var received = recruiter.awaitEvent("receive_message", 1).path("data");
            assertThat(received.path("text").asText()).isEqualTo("Hello!");
            assertThat(received.path("senderId").asText()).isEqualTo(SEEKER);
            assertThat(received.path("recipientId").asText()).isEqualTo(RECRUITER);
            // the recruiter joined by the other spelling: that is the room it is told about
            assertThat(received.path("roomId").asText()).isEqualTo("chat-99-500");
            assertThat(received.path("seq").asLong()).isEqualTo(1);
            assertThat(received.path("messageId").asText()).isEqualTo(first.path("saved").path("body")
                    .path("messageId").asText());
            assertThat(received.path("sentAt").asText()).isNotEmpty();

            // the same text again, a genuine second message, this time saved before it is emitted
            var second = seeker.call("page_send", "with", RECRUITER, "text", "Hello!", "order", "http_first");
            assertThat(second.path("saved").path("body").path("seq").asLong()).isEqualTo(2);
            assertThat(recruiter.awaitEvent("receive_message", 2).path("data").path("seq").asLong()).isEqualTo(2);
            recruiter.call("page_send", "with", SEEKER, "text", "Hi, thanks", "order", "socket_first");
            assertThat(seeker.awaitEvent("receive_message", 1).path("data").path("text").asText())
                    .isEqualTo("Hi, thanks");

            // packets of one connection are handled in order: once this is answered, every emitted send_message is
            // stored (or was recognised as stored); then the read models are awaited before the page reloads
            seeker.call("join_ack", "room", ROOM);
            recruiter.call("join_ack", "room", ROOM);
            TestServers.awaitProjectionsCaughtUp(server.uri());
            // reload: each message once, though each was sent twice (socket and POST)
            var history = seeker.call("history", "with", RECRUITER);
            assertThat(history.path("status").asInt()).isEqualTo(200);
            assertThat(history.path("body")).extracting(JsonNode::toString).isNotNull();
            assertThat(history.path("body").findValuesAsText("text")).containsExactly("Hello!", "Hello!", "Hi, thanks");
            assertThat(history.path("body").findValuesAsText("roomId")).containsOnly(ROOM);
            assertThat(history.path("body").get(2).path("recipientId").asText()).isEqualTo(SEEKER);

            var contacts = recruiter.call("contacts");
            assertThat(contacts.path("status").asInt()).isEqualTo(200);
            assertThat(contacts.path("body").get(0).path("id").asText()).isEqualTo(SEEKER);
            assertThat(contacts.path("body").get(0).path("roomId").asText()).isEqualTo(ROOM);
            assertThat(recruiter.received()).containsExactly("Hello!", "Hello!");
        }
    }

    @Test
    void thePageOverWebSocketAloneWithAcks() {
        try (var seeker = TutorialPage.open(server.uri(), TestServers.token("ws-seeker"), "ws-seeker", "websocket");
             var recruiter = TutorialPage.open(server.uri(), TestServers.token("ws-recruiter"), "ws-recruiter",
                     "websocket")) {
            assertThat(seeker.awaitEvent("connect", 1).path("transport").asText()).isEqualTo("websocket");
            recruiter.awaitEvent("connect", 1);
            var room = "chat-ws-recruiter-ws-seeker";
            recruiter.call("join_ack", "room", room);
            seeker.call("join_ack", "room", room);
            var data = Map.of("roomId", room, "text", "over the socket", "clientMessageId", "c-1",
                    "senderId", "someone-else");
            var ack = seeker.call("emit_ack", "event", "send_message", "args", new Object[] {data}).path("answer");
            assertThat(ack.path("ok").asBoolean()).isTrue();
            assertThat(ack.path("seq").asLong()).isEqualTo(1);
            assertThat(ack.path("clientMessageId").asText()).isEqualTo("c-1");
            var received = recruiter.awaitEvent("receive_message", 1).path("data");
            // the sender is who the token says, whatever senderId claims
            assertThat(received.path("senderId").asText()).isEqualTo("ws-seeker");
            // a retry with the same client id is the same message: the original ack, nothing stored
            var retried = seeker.call("emit_ack", "event", "send_message", "args", new Object[] {data})
                    .path("answer");
            assertThat(retried.path("messageId").asText()).isEqualTo(ack.path("messageId").asText());
            assertThat(retried.path("seq").asLong()).isEqualTo(1);
            // and the page's own send, socket then "save to DB", the other way
            recruiter.call("page_send", "with", "ws-seeker", "text", "answer", "order", "socket_first");
            assertThat(seeker.awaitEvent("receive_message", 1).path("data").path("text").asText()).isEqualTo("answer");
            recruiter.call("join_ack", "room", room);
            TestServers.awaitProjectionsCaughtUp(server.uri());
            var history = seeker.call("history", "with", "ws-recruiter");
            assertThat(history.path("body").findValuesAsText("text")).containsExactly("over the socket", "answer");
            assertThat(seeker.call("contacts").path("body").get(0).path("id").asText()).isEqualTo("ws-recruiter");
        }
    }

    @Test
    void badInputGetsStableCodes() {
        try (var page = TutorialPage.open(server.uri(), TestServers.token("bad-input"), "bad-input", "websocket");
             var forged = TutorialPage.open(server.uri(), "not-a-token", "x", "websocket")) {
            page.awaitEvent("connect", 1);
            assertThat(error(page.call("join_ack", "room", "chat-1-2"))).isEqualTo("not_a_participant");
            assertThat(error(page.call("join_ack", "room", "lobby"))).isEqualTo("invalid_room");
            assertThat(error(page.call("join_ack", "room", "chat-only-one"+"x".repeat(200)))).isEqualTo("invalid_room");
            assertThat(error(page.call("emit_ack", "event", "join_room", "args", new Object[] {42})))
                    .isEqualTo("invalid_field");
            assertThat(error(page.call("emit_ack", "event", "shout", "args", new Object[] {"x"})))
                    .isEqualTo("unknown_event");
            assertThat(error(page.call("emit_ack", "event", "send_message", "args",
                    new Object[] {Map.of("roomId", "chat-bad-input-x", "text", " ")}))).isEqualTo("empty_text");
            assertThat(error(page.call("emit_ack", "event", "send_message", "args",
                    new Object[] {Map.of("text", "hi")}))).isEqualTo("missing_field");
            assertThat(error(page.call("emit_ack", "event", "send_message", "args",
                    new Object[] {Map.of("roomId", "chat-bad-input-x", "text", "hi", "clientMessageId", "has space")})))
                    .isEqualTo("invalid_client_message_id");
            assertThat(error(page.call("emit_ack", "event", "send_message", "args", new Object[] {"just text"})))
                    .isEqualTo("invalid_field");
            assertThat(error(page.call("emit_ack", "event", "send_message", "args",
                    new Object[] {Map.of("roomId", "chat-bad-input-x", "text", "x".repeat(70_000))})))
                    .isEqualTo("frame_too_large");
            // without an ack callback the refusal arrives as a chat_error event
            page.call("emit", "event", "shout", "args", new Object[] {"x"});
            var refused = page.awaitEvent("chat_error", 1).path("error");
            assertThat(refused.path("error").asText()).isEqualTo("unknown_event");
            assertThat(refused.path("event").asText()).isEqualTo("shout");
            // at most 100 rooms per connection; joining one again is no new room
            for (int i = 0; i < 100; i++) {
                assertThat(page.call("join_ack", "room", "chat-bad-input-u" + i).path("answer").path("ok").asBoolean())
                        .isTrue();
            }
            assertThat(page.call("join_ack", "room", "chat-u0-bad-input").path("answer").path("ok").asBoolean()).isTrue();
            assertThat(error(page.call("join_ack", "room", "chat-bad-input-u100"))).isEqualTo("too_many_rooms");
            // the connection stayed through all of it
            assertThat(page.events("disconnect")).isEmpty();

            var refusedConnect = forged.awaitEvent("connect_error", 1);
            assertThat(refusedConnect.path("message").asText()).isEqualTo("invalid_token");
            assertThat(refusedConnect.path("data").path("code").asText()).isEqualTo("invalid_token");
        }
    }

    @Test
    void theTutorialsRoutesRefuseWithStableCodes() {
        var api = new ApiClient(server.uri());
        var token = TestServers.token("route-user");
        assertThat(api.get("api/messages?roomId=chat-route-user-x", null).status()).isEqualTo(401);
        assertThat(code(api.get("api/messages", token), 400)).isEqualTo("missing_parameter");
        assertThat(code(api.get("api/messages?roomId=lobby", token), 400)).isEqualTo("invalid_room");
        assertThat(code(api.get("api/messages?roomId=chat-1-2", token), 403)).isEqualTo("not_a_participant");
        assertThat(code(api.get("api/messages?roomId=chat-route-user-x&limit=0", token), 400))
                .isEqualTo("invalid_parameter");
        // a room whose conversation was never started has no history yet
        assertThat(api.get("api/messages?roomId=chat-route-user-nobody", token).body()).isEmpty();
        assertThat(code(api.post("api/messages", token, "{\"text\":\"hi\"}"), 400)).isEqualTo("missing_field");
        assertThat(code(api.post("api/messages", token, "{\"recipientId\":\"x\",\"text\":\"\"}"), 400))
                .isEqualTo("empty_text");
        assertThat(code(api.post("api/messages", token, "{\"roomId\":\"chat-1-2\",\"text\":\"hi\"}"), 403))
                .isEqualTo("not_a_participant");
        assertThat(code(api.post("api/messages", null, "{\"recipientId\":\"x\",\"text\":\"hi\"}"), 401))
                .isEqualTo("unauthenticated");
        // the sender is the caller, whatever senderId says
        var saved = api.post("api/messages", token,
                "{\"senderId\":\"someone-else\",\"recipientId\":\"x\",\"text\":\"hi\"}");
        assertThat(saved.status()).isEqualTo(201);
        assertThat(saved.body().path("senderId").asText()).isEqualTo("route-user");
        assertThat(saved.body().path("roomId").asText()).isEqualTo("chat-route-user-x");
    }

    private static String code(ApiClient.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        return response.body().path("error").path("code").asText();
    }

    private static String error(JsonNode answerLine) {
        var answer = answerLine.path("answer");
        assertThat(answer.path("ok").asBoolean()).as(answerLine.toString()).isFalse();
        return answer.path("error").asText();
    }
}
