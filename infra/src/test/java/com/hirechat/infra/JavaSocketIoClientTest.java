package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;

/**
 * The Socket.IO project's Java client ({@code io.socket:socket.io-client}) against {@code /socket.io/}: a second,
 * independent client implementation of the protocol, over long-polling (with the upgrade) and WebSocket alone.
 */
class JavaSocketIoClientTest {

    private static ChatApplication server;

    @BeforeAll
    static void start() {
        server = TestServers.onFreshDatabase();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"polling,websocket", "websocket"})
    void joinSendAckAndReceive(String transports) throws Exception {
        var tag = transports.replace(",", "-");
        var sender = connect("java-a-" + tag, transports);
        var receiver = connect("java-b-" + tag, transports);
        try {
            var received = new CopyOnWriteArrayList<JSONObject>();
            var firstReceived = new CompletableFuture<JSONObject>();
            receiver.on("receive_message", args -> {
                received.add((JSONObject) args[0]);
                firstReceived.complete((JSONObject) args[0]);
            });
            var room = "chat-java-a-" + tag + "-java-b-" + tag;
            assertThat(emit(receiver, "join_room", room).getBoolean("ok")).isTrue();
            var data = new JSONObject(Map.of("roomId", room, "text", "from Java", "clientMessageId", "j-1"));
            var ack = emit(sender, "send_message", data);
            assertThat(ack.getBoolean("ok")).isTrue();
            assertThat(ack.getLong("seq")).isEqualTo(1);
            var message = firstReceived.get(30, TimeUnit.SECONDS);
            assertThat(message.getString("text")).isEqualTo("from Java");
            assertThat(message.getString("senderId")).isEqualTo("java-a-" + tag);
            assertThat(message.getString("messageId")).isEqualTo(ack.getString("messageId"));
            var refused = emit(sender, "join_room", "chat-someone-else");
            assertThat(refused.getString("error")).isEqualTo("not_a_participant");
            assertThat(received).hasSize(1);
        } finally {
            sender.close();
            receiver.close();
        }
    }

    private static Socket connect(String user, String transports) throws Exception {
        var options = IO.Options.builder()
                .setTransports(transports.split(","))
                .setForceNew(true)
                .setReconnection(false)
                .setAuth(Map.of("token", TestServers.token(user)))
                .build();
        var socket = IO.socket(server.uri(), options);
        var connected = new CompletableFuture<Void>();
        socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
        socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
                new AssertionError("connect error: " + List.of(args))));
        socket.connect();
        connected.get(30, TimeUnit.SECONDS);
        return socket;
    }

    private static JSONObject emit(Socket socket, String event, Object argument) throws Exception {
        var answer = new CompletableFuture<JSONObject>();
        socket.emit(event, new Object[] {argument}, (Ack) args -> answer.complete((JSONObject) args[0]));
        return answer.get(30, TimeUnit.SECONDS);
    }
}
