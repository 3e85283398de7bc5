package com.hirechat.infra;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real WebSocket client over a real socket (the JDK's), recording every frame the server sends. */
final class WsClient implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final WebSocket socket;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile String closeReason;
    private volatile boolean paused;
    private volatile boolean demandOwed;

    private WsClient(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new Recorder())
                .orTimeout(10, TimeUnit.SECONDS)
                .join();
    }

    static WsClient connect(URI httpBase, String token) {
        return new WsClient(webSocketUri(httpBase, token));
    }

    static URI webSocketUri(URI httpBase, String token) {
        return URI.create(httpBase.toString().replaceFirst("^http", "ws") + "ws?access_token=" + token);
    }

    void send(String json) {
        socket.sendText(json, true).orTimeout(5, TimeUnit.SECONDS).join();
    }

    void subscribe(String conversationId) {
        send("{\"type\":\"subscribe\",\"conversationId\":\"" + conversationId + "\"}");
        awaitFrame(f -> f.path("type").asText().equals("subscribed")
                && f.path("conversationId").asText().equals(conversationId));
    }

    void subscribe(String conversationId, long afterSeq) {
        send("{\"type\":\"subscribe\",\"conversationId\":\"" + conversationId + "\",\"afterSeq\":" + afterSeq + "}");
    }

    void sendMessage(String conversationId, String clientMessageId, String text) {
        var frame = MAPPER.createObjectNode()
                .put("type", "send")
                .put("conversationId", conversationId)
                .put("clientMessageId", clientMessageId)
                .put("text", text);
        send(frame.toString());
    }

    /** Waits up to 10 s for a frame matching the predicate and returns the first such frame. */
    JsonNode awaitFrame(Predicate<JsonNode> matching) {
        // poll often: protocol round trips take milliseconds, and the fuzz suite waits thousands of times
        return Awaitility.await().atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(2))
                .until(() -> received.stream().filter(matching).findFirst(), java.util.Optional::isPresent)
                .get();
    }

    JsonNode awaitType(String type) {
        return awaitFrame(f -> f.path("type").asText().equals(type));
    }

    List<JsonNode> framesOfType(String type) {
        var frames = new ArrayList<JsonNode>();
        received.stream().filter(f -> f.path("type").asText().equals(type)).forEach(frames::add);
        return frames;
    }

    List<JsonNode> messages(String conversationId) {
        return framesOfType("message").stream()
                .filter(f -> f.path("conversationId").asText().equals(conversationId))
                .toList();
    }

    void clear() {
        received.clear();
    }

    CompletableFuture<Integer> closed() {
        return closed;
    }

    /** The reason in the server's close frame, once it closed: which part of the server closed, when a code is wrong. */
    String closeReason() {
        return closeReason;
    }

    /** Stops reading the socket, as a client on a stalled network or a frozen tab would. */
    void pauseReading() {
        paused = true;
    }

    synchronized void resumeReading() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    List<Long> seqs(String conversationId) {
        return messages(conversationId).stream().map(f -> f.path("seq").asLong()).toList();
    }

    /** Drops the TCP connection without a closing handshake, as a lost network would. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
        socket.abort();
    }

    private final class Recorder implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(MAPPER.readTree(partial.toString()));
                } catch (java.io.IOException e) {
                    throw new AssertionError("server sent invalid JSON: " + partial, e);
                }
                partial.setLength(0);
            }
            synchronized (WsClient.this) {
                if (paused) {
                    demandOwed = true;
                } else {
                    webSocket.request(1);
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeReason = reason;
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
