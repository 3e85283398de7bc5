package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The packaged server as its own process, stopped with SIGTERM in the middle of a burst of sends:
 * it exits within its bound, and what is stored afterwards is exactly what was acknowledged.
 */
class GracefulShutdownIT {

    private static final int SENDERS = 3;

    @Test
    void sigtermDuringABurstLosesNoAcknowledgedMessageAndStoresNoUnacknowledgedOne() throws Exception {
        var database = TestServers.freshDatabase();
        var port = TestServers.freePort();
        var server = startServerProcess(database, port);
        var base = URI.create("http://127.0.0.1:" + port + "/");
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> status(base, "health/ready") == 200);
            var api = new ApiClient(base);
            var token = api.login("burster");
            var conversation = api.startConversation(token, "receiver");

            var acked = ConcurrentHashMap.<String>newKeySet();
            var total = new AtomicInteger();
            var clients = new ArrayList<WsClient>();
            for (int s = 0; s < SENDERS; s++) {
                clients.add(WsClient.connect(base, token));
            }
            // own threads: blocking the common pool would starve the WebSocket client's own callbacks
            var pool = Executors.newFixedThreadPool(SENDERS);
            var senders = new ArrayList<CompletableFuture<Void>>();
            for (int s = 0; s < SENDERS; s++) {
                var name = "sender" + s;
                var client = clients.get(s);
                senders.add(CompletableFuture.runAsync(() -> sendUntilClosed(client, conversation, name, acked, total),
                        pool));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> total.get() >= 150);

            server.destroy(); // SIGTERM
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exited within its bound").isTrue();
            CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            pool.shutdown();
            for (var client : clients) {
                // every ack a client received counts, also one for a send whose own completion failed as the
                // server closed the socket (the frame had gone out; the sender loop gave up on it)
                await().atMost(Duration.ofSeconds(10)).until(() -> client.closed().isDone());
                // told to reconnect elsewhere and resume, also a client that was mid-send when the drain closed it
                assertThat(client.closed()).as(client::closeReason).isCompletedWithValue(1012);
                client.framesOfType("ack").forEach(ack -> acked.add(ack.path("clientMessageId").asText()));
            }
            clients.forEach(WsClient::abort);

            try (var restarted = TestServers.on(database, Map.of())) {
                // the history is a read model: the stopped process may have left events for this one to project
                TestServers.awaitProjectionsCaughtUp(restarted.uri());
                var stored = storedClientIds(new ApiClient(restarted.uri()), token, conversation);
                assertThat(stored).as("stored messages").hasSameSizeAs(new HashSet<>(stored));
                assertThat(without(stored, acked)).as("stored but never acknowledged").isEmpty();
                assertThat(without(acked, stored)).as("acknowledged but not stored").isEmpty();
                assertThat(acked).hasSizeGreaterThanOrEqualTo(150);
            }
        } finally {
            server.destroyForcibly();
        }
    }

    private static Process startServerProcess(com.hirechat.projections.TestDatabase.Coordinates database, int port)
            throws Exception {
        var java = ProcessHandle.current().info().command().orElseThrow();
        var jar = Path.of("target", "hirechat.jar").toAbsolutePath();
        var builder = new ProcessBuilder(java, "-jar", jar.toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "graceful-shutdown-server.log").toFile());
        var env = builder.environment();
        env.put("HIRECHAT_PORT", Integer.toString(port));
        env.put("HIRECHAT_JDBC_URL", database.jdbcUrl());
        env.put("HIRECHAT_JDBC_USER", database.user());
        env.put("HIRECHAT_JDBC_PASSWORD", database.password());
        env.put("HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET);
        env.put("HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64);
        env.put("HIRECHAT_MESSAGES_PER_SECOND", "100000");
        env.put("HIRECHAT_MESSAGE_BURST", "100000");
        return builder.start();
    }

    /** Sends one message at a time, waiting for its answer, until the server closes the connection. */
    private static void sendUntilClosed(WsClient client, String conversation, String name, Set<String> acked,
                                        AtomicInteger total) {
        for (int n = 1; ; n++) {
            var id = name + "-" + n;
            try {
                client.sendMessage(conversation, id, "burst " + id);
            } catch (RuntimeException e) {
                return; // the socket is closed
            }
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> answered(client, id) || client.closed().isDone());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                // a frame that reached a draining server is refused, and the refusal may not make it out before
                // the close: no answer means not acknowledged, and the final check proves it was not stored either
                return;
            }
            if (client.framesOfType("ack").stream().anyMatch(f -> f.path("clientMessageId").asText().equals(id))) {
                acked.add(id);
                total.incrementAndGet();
            } else {
                return;
            }
        }
    }

    private static Set<String> without(Collection<String> these, Collection<String> those) {
        var left = new HashSet<>(these);
        left.removeAll(those);
        return left;
    }

    private static boolean answered(WsClient client, String id) {
        return client.framesOfType("ack").stream().anyMatch(f -> f.path("clientMessageId").asText().equals(id))
                || client.framesOfType("error").stream().anyMatch(f -> f.path("clientMessageId").asText().equals(id));
    }

    private static List<String> storedClientIds(ApiClient api, String token, String conversation) {
        var ids = new ArrayList<String>();
        String before = null;
        do {
            var page = api.get("api/conversations/" + conversation + "/messages?limit=200"
                    + (before == null ? "" : "&before=" + before), token).body();
            page.path("messages").forEach(m -> ids.add(m.path("clientMessageId").asText()));
            before = page.path("nextBefore").isNull() ? null : page.path("nextBefore").asText();
        } while (before != null);
        return ids;
    }

    private static int status(URI base, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
