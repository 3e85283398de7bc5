package com.hirechat.bench;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The third peer: Helidon WebSocket broadcast with no persistence, speaking the subset of HireChat's protocol
 * the benchmark uses (subscribe, send → ack + message to the room). It shows what the transport alone costs,
 * so a gap between HireChat and Socket.io can be split into "network stack" and "durability path".
 */
public final class RawBroadcastServer {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Set<Session>> rooms = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> seqs = new ConcurrentHashMap<>();

    /** Serves on 127.0.0.1 at the given port until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        var port = Integer.parseInt(args[0]);
        var broadcast = new RawBroadcastServer();
        WebServer.builder()
                .host("127.0.0.1")
                .port(port)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing.get("/health", (request, response) -> response.send("UP")))
                .addRouting(WsRouting.builder().endpoint("/ws", () -> broadcast.new Session()))
                .build()
                .start();
        Log.info("raw Helidon broadcast listening on %d", port);
        Thread.currentThread().join();
    }

    /** One connection; sends to it are serialised because several senders' threads broadcast to it. */
    private final class Session implements WsListener {
        private final StringBuilder partial = new StringBuilder();
        private final Set<String> joined = ConcurrentHashMap.newKeySet();
        private WsSession ws;

        @Override
        public void onOpen(WsSession session) {
            ws = session;
        }

        @Override
        public void onMessage(WsSession session, String text, boolean last) {
            partial.append(text);
            if (!last) {
                return;
            }
            JsonNode frame;
            try {
                frame = JSON.readTree(partial.toString());
            } catch (Exception e) {
                return;
            } finally {
                partial.setLength(0);
            }
            var conversation = frame.path("conversationId").asText();
            switch (frame.path("type").asText()) {
                case "subscribe" -> {
                    rooms.computeIfAbsent(conversation, c -> ConcurrentHashMap.newKeySet()).add(this);
                    joined.add(conversation);
                    write(JSON.createObjectNode().put("type", "subscribed").put("conversationId", conversation)
                            .putNull("afterSeq").toString());
                }
                case "send" -> {
                    var counter = seqs.computeIfAbsent(conversation, c -> new AtomicLong());
                    var cmid = frame.path("clientMessageId").asText();
                    var body = frame.path("text").asText();
                    // like HireChat, every member sees one conversation's messages in seq order
                    synchronized (counter) {
                        broadcast(conversation, counter.incrementAndGet(), cmid, body);
                    }
                }
                case "ping" -> write("{\"type\":\"pong\"}");
                default -> {
                    // not part of the benchmark's subset
                }
            }
        }

        private void broadcast(String conversation, long seq, String cmid, String text) {
            var sentAt = java.time.Instant.now().toString();
            var messageId = UUID.randomUUID().toString();
            write(JSON.createObjectNode().put("type", "ack").put("conversationId", conversation)
                    .put("clientMessageId", cmid).put("messageId", messageId).put("seq", seq)
                    .put("sentAt", sentAt).toString());
            var message = JSON.createObjectNode().put("type", "message").put("conversationId", conversation)
                    .put("seq", seq).put("messageId", messageId).put("clientMessageId", cmid)
                    .put("senderId", "raw").put("text", text).put("sentAt", sentAt).toString();
            for (var member : rooms.getOrDefault(conversation, Set.of())) {
                member.write(message);
            }
        }

        private synchronized void write(String text) {
            try {
                ws.send(text, true);
            } catch (RuntimeException e) {
                // a closed peer: it is removed in onClose
            }
        }

        @Override
        public void onClose(WsSession session, int status, String reason) {
            joined.forEach(conversation -> rooms.getOrDefault(conversation, Set.of()).remove(this));
        }
    }
}
