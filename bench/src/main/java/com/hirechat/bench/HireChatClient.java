package com.hirechat.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A HireChat protocol client (docs/protocol.md) on the JDK's WebSocket; also speaks to the raw Helidon peer. */
final class HireChatClient implements ChatClient, WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Events events;
    private final StringBuilder partial = new StringBuilder();
    private final Map<String, CompletableFuture<Void>> pendingSubscriptions = new ConcurrentHashMap<>();
    private WebSocket socket;
    // the JDK client allows one outstanding send per socket: each send waits for the one before
    private CompletableFuture<WebSocket> lastSend = CompletableFuture.completedFuture(null);

    private HireChatClient(Events events) {
        this.events = events;
    }

    /** Opens {@code /ws?access_token=…} and completes once the upgrade succeeded. */
    static CompletableFuture<ChatClient> connect(HttpClient http, URI base, String token, Events events) {
        var client = new HireChatClient(events);
        var uri = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws?access_token="
                + URLEncoder.encode(token, StandardCharsets.UTF_8));
        return http.newWebSocketBuilder().buildAsync(uri, client).thenApply(ws -> {
            client.socket = ws;
            return client;
        });
    }

    @Override
    public CompletableFuture<Void> subscribe(String conversationId, Long afterSeq) {
        var done = new CompletableFuture<Void>();
        pendingSubscriptions.put(conversationId, done);
        var frame = JSON.createObjectNode().put("type", "subscribe").put("conversationId", conversationId);
        if (afterSeq != null) {
            frame.put("afterSeq", afterSeq);
        }
        write(frame);
        return done;
    }

    @Override
    public void send(String conversationId, String clientMessageId, String text) {
        write(JSON.createObjectNode().put("type", "send").put("conversationId", conversationId)
                .put("clientMessageId", clientMessageId).put("text", text));
    }

    @Override
    public void ping() {
        write(JSON.createObjectNode().put("type", "ping"));
    }

    private synchronized void write(ObjectNode frame) {
        var text = frame.toString();
        lastSend = lastSend.thenCompose(previous -> socket.sendText(text, true));
    }

    @Override
    public void close() {
        var ws = socket;
        if (ws != null) {
            ws.abort();
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        var now = System.nanoTime();
        partial.append(data);
        if (last) {
            var text = partial.toString();
            partial.setLength(0);
            handle(text, now);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text, long now) {
        JsonNode frame;
        try {
            frame = JSON.readTree(text);
        } catch (Exception e) {
            events.refused("unparseable_frame", null);
            return;
        }
        switch (frame.path("type").asText()) {
            case "ack" -> events.acked(frame.path("clientMessageId").asText(), now);
            case "message" -> events.delivered(frame.path("conversationId").asText(), frame.path("seq").asLong(),
                    frame.path("clientMessageId").asText(), frame.path("senderId").asText(), now);
            case "subscribed" -> {
                var pending = pendingSubscriptions.remove(frame.path("conversationId").asText());
                if (pending != null) {
                    pending.complete(null);
                }
            }
            case "error" -> {
                var conversation = frame.path("conversationId").asText(null);
                var pending = conversation == null ? null : pendingSubscriptions.remove(conversation);
                if (pending != null) {
                    pending.completeExceptionally(new IllegalStateException(frame.path("code").asText()));
                }
                events.refused(frame.path("code").asText(), frame.path("clientMessageId").asText(null));
            }
            default -> {
                // pong, typing, read receipts: not measured
            }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.closed(statusCode + " " + reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.closed(String.valueOf(error));
    }
}
