package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Durable connection-state recovery: a socket.io-client whose server went away gets, on reconnecting, every event it
 * missed and none twice ({@code socket.recovered} true), also when the server restarted meanwhile and the messages
 * were stored through another node. Over long-polling alone and over WebSocket.
 */
class SocketIoRecoveryTest {

    @Test
    void everyMissedMessageArrivesOnceAfterARestart() {
        var database = TestServers.freshDatabase();
        var port = TestServers.freePort();
        var samePort = Map.of("HIRECHAT_PORT", Integer.toString(port));
        TutorialPage polling = null;
        TutorialPage webSocket = null;
        try {
            try (var first = TestServers.on(database, samePort)) {
                polling = TutorialPage.open(first.uri(), TestServers.token("500"), "500", "polling");
                webSocket = TutorialPage.open(first.uri(), TestServers.token("501"), "501", "websocket");
                assertThat(polling.awaitEvent("connect", 1).path("recovered").asBoolean()).isFalse();
                webSocket.awaitEvent("connect", 1);
                polling.call("join_ack", "room", "chat-500-99");
                webSocket.call("join_ack", "room", "chat-501-99");
                var api = new ApiClient(first.uri());
                send(api, "500", "m1");
                send(api, "501", "m1");
                polling.awaitEvent("receive_message", 1);
                webSocket.awaitEvent("receive_message", 1);
            }
            polling.awaitEvent("disconnect", 1);
            webSocket.awaitEvent("disconnect", 1);

            // while the pages are cut off, another node stores what they miss (the server they know is down)
            try (var other = TestServers.on(database, Map.of())) {
                var api = new ApiClient(other.uri());
                for (var text : new String[] {"m2", "m3"}) {
                    send(api, "500", text);
                    send(api, "501", text);
                }
            }

            try (var restarted = TestServers.on(database, samePort)) {
                assertThat(polling.awaitEvent("connect", 2).path("recovered").asBoolean()).isTrue();
                assertThat(webSocket.awaitEvent("connect", 2).path("recovered").asBoolean()).isTrue();
                polling.awaitEvent("receive_message", 3);
                webSocket.awaitEvent("receive_message", 3);
                // and the rooms are back: live messages keep coming without a new join_room
                var api = new ApiClient(restarted.uri());
                send(api, "500", "m4");
                send(api, "501", "m4");
                polling.awaitEvent("receive_message", 4);
                webSocket.awaitEvent("receive_message", 4);
                assertThat(polling.received()).containsExactly("m1", "m2", "m3", "m4");
                assertThat(webSocket.received()).containsExactly("m1", "m2", "m3", "m4");
                assertThat(polling.events("receive_message").stream().map(line -> line.path("data").path("seq")
                        .asLong())).containsExactly(1L, 2L, 3L, 4L);
            }
        } finally {
            if (polling != null) {
                polling.close();
            }
            if (webSocket != null) {
                webSocket.close();
            }
        }
    }

    @Test
    void theDoubleSendIsRecognisedAcrossARestartInEitherOrder() {
        var database = TestServers.freshDatabase();
        var room = "chat-500-77";
        var token = TestServers.token("77");
        var post = "{\"senderId\":\"77\",\"recipientId\":\"500\",\"roomId\":\"" + room + "\",\"text\":\"dup\"}";
        String first;
        String derived;
        try (var before = TestServers.on(database, Map.of())) {
            // the page's "save to DB" arrives, its socket emit does not before the restart
            var saved = new ApiClient(before.uri()).post("api/messages", token, post);
            assertThat(saved.status()).isEqualTo(201);
            first = saved.body().path("messageId").asText();
            // the derived id carries a hash keyed by the sender's data key, not the text's plain digest
            derived = saved.body().path("clientMessageId").asText();
            assertThat(derived).startsWith("t1-").endsWith("-1");
            assertThat(UnkeyedHashes.of("dup")).noneSatisfy(plain -> assertThat(derived).contains(plain));
        }
        try (var after = TestServers.on(database, Map.of());
             var page = TutorialPage.open(after.uri(), token, "77", "websocket")) {
            page.awaitEvent("connect", 1);
            var data = Map.of("senderId", "77", "recipientId", "500", "roomId", room, "text", "dup");
            // the emit of the same message, after the restart: the same message, nothing stored
            var emitted = page.call("emit_ack", "event", "send_message", "args", new Object[] {data}).path("answer");
            assertThat(emitted.path("messageId").asText()).isEqualTo(first);
            assertThat(emitted.path("seq").asLong()).isEqualTo(1);
            // the key was read back from data_keys after the restart: the same keyed hash, so the same id
            assertThat(emitted.path("clientMessageId").asText()).isEqualTo(derived);
            // the text again: a second message, emitted first this time, then saved
            var second = page.call("emit_ack", "event", "send_message", "args", new Object[] {data}).path("answer");
            assertThat(second.path("seq").asLong()).isEqualTo(2);
            var saved = new ApiClient(after.uri()).post("api/messages", token, post);
            assertThat(saved.body().path("messageId").asText()).isEqualTo(second.path("messageId").asText());
            TestServers.awaitProjectionsCaughtUp(after.uri());
            assertThat(page.call("history", "with", "500").path("body").findValuesAsText("text"))
                    .containsExactly("dup", "dup");
        }
    }

    private static void send(ApiClient api, String recipient, String text) {
        var saved = api.post("api/messages", TestServers.token("99"),
                "{\"recipientId\":\"" + recipient + "\",\"text\":\"" + text + "\",\"clientMessageId\":\""
                        + recipient + "-" + text + "\"}");
        assertThat(saved.status()).as(saved.toString()).isEqualTo(201);
    }
}
