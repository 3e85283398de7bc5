package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server in its default run (embedded PostgreSQL in its own data directory), killed with SIGKILL
 * together with every process of its PostgreSQL in the middle of a burst of sends, then started again on the same
 * data directory: every acknowledged message is there with the seq and text it was acknowledged with, and later
 * sends never get an acknowledged seq again.
 */
class CrashDurabilityIT {

    private static final int MESSAGES = 300;
    private static final int KILL_AFTER_ACKS = MESSAGES / 2;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What an ack promised: this seq, for the message with this text. */
    private record Acked(long seq, String text) {
    }

    @TempDir
    Path dataDir;

    @Test
    void everyAcknowledgedMessageSurvivesAKillOfTheServerAndItsDatabase() throws Exception {
        var first = startServer(1);
        Map<String, Acked> acked;
        String token;
        String conversation;
        try {
            var api = new ApiClient(first.base());
            token = api.login("crash-seeker");
            conversation = api.startConversation(token, "crash-recruiter");
            var texts = new HashMap<String, String>();
            for (int n = 1; n <= MESSAGES; n++) {
                texts.put("crash-" + n, "crash text " + n);
            }
            // found before the burst, so that the kill follows the acks as closely as it can
            var postgres = first.postgresProcesses();
            assertThat(postgres).as("the embedded PostgreSQL's processes").isNotEmpty();
            var client = WsClient.connect(first.base(), token);
            // pipelined, on a thread of its own, so the kill lands while commits are still coming
            var sending = CompletableFuture.runAsync(() -> {
                for (int n = 1; n <= MESSAGES; n++) {
                    try {
                        client.sendMessage(conversation, "crash-" + n, texts.get("crash-" + n));
                    } catch (RuntimeException e) {
                        return; // the server is gone
                    }
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1))
                    .until(() -> client.framesOfType("ack").size() >= KILL_AFTER_ACKS);

            killWithItsDatabase(first, postgres);

            sending.get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.closed().isDone());
            acked = new HashMap<>();
            for (var ack : client.framesOfType("ack")) {
                var id = ack.path("clientMessageId").asText();
                acked.put(id, new Acked(ack.path("seq").asLong(), texts.get(id)));
            }
            client.abort();
        } finally {
            first.stopAnyway();
        }
        assertThat(acked).as("acks before the kill").hasSizeGreaterThanOrEqualTo(KILL_AFTER_ACKS);

        var second = startServer(2);
        try {
            TestServers.awaitProjectionsCaughtUp(second.base());
            var api = new ApiClient(second.base());
            var stored = storedMessages(api, token, conversation);
            var lost = new HashMap<String, Acked>();
            acked.forEach((id, promise) -> {
                if (!promise.equals(stored.get(id))) {
                    lost.put(id, promise);
                }
            });
            assertThat(lost).as("of the %d messages acknowledged before the crash, those not stored with that seq "
                    + "and text after it", acked.size()).isEmpty();
            var storedSeqs = stored.values().stream().map(Acked::seq).toList();
            assertThat(new HashSet<>(storedSeqs)).as("stored seqs are distinct").hasSameSizeAs(storedSeqs);

            var ackedSeqs = acked.values().stream().map(Acked::seq).collect(java.util.stream.Collectors.toSet());
            var highestAcked = ackedSeqs.stream().mapToLong(Long::longValue).max().orElseThrow();
            try (var client = WsClient.connect(second.base(), token)) {
                for (int n = 1; n <= 20; n++) {
                    var id = "after-" + n;
                    client.sendMessage(conversation, id, "after the crash " + n);
                    var ack = client.awaitFrame(f -> f.path("type").asText().equals("ack")
                            && f.path("clientMessageId").asText().equals(id));
                    assertThat(ack.path("seq").asLong()).as("seq of a send after the restart")
                            .isGreaterThan(highestAcked)
                            .isNotIn(ackedSeqs);
                }
            }
        } finally {
            second.stop();
        }
    }

    /** The packaged jar, as {@code java -jar hirechat.jar serve} runs it, on this test's data directory. */
    private Server startServer(int run) throws Exception {
        var port = TestServers.freePort();
        var java = ProcessHandle.current().info().command().orElseThrow();
        var jar = Path.of("target", "hirechat.jar").toAbsolutePath();
        var builder = new ProcessBuilder(java, "-jar", jar.toString(), "serve")
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "crash-durability-server-" + run + ".log").toFile());
        var env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("HIRECHAT_"));
        env.put("HIRECHAT_DATA_DIR", dataDir.toString());
        env.put("HIRECHAT_PORT", Integer.toString(port));
        env.put("HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET);
        env.put("HIRECHAT_MESSAGES_PER_SECOND", "100000");
        env.put("HIRECHAT_MESSAGE_BURST", "100000");
        var server = new Server(builder.start(), URI.create("http://127.0.0.1:" + port + "/"), dataDir);
        try {
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions()
                    .until(() -> status(server.base(), "health/ready") == 200);
        } catch (RuntimeException e) {
            server.stopAnyway();
            throw e;
        }
        return server;
    }

    /**
     * SIGKILL to every PostgreSQL process of the data directory, then to the server's JVM: the database first, so
     * that nothing it had not flushed can reach the disk after the acks went out. PostgreSQL's children each lead a
     * session of their own, so no single signal reaches them all: they are frozen first (SIGSTOP, the postmaster
     * among them, so it forks no more), then every descendant of the postmaster is killed, with no process left to
     * finish a write in between.
     */
    private static void killWithItsDatabase(Server server, List<ProcessHandle> postgres) throws Exception {
        signal("-STOP", postgres);
        var all = new ArrayList<>(postgres);
        postgres.getFirst().descendants().filter(child -> !all.contains(child)).forEach(all::add);
        signal("-KILL", all);
        var victims = new ArrayList<>(all);
        victims.add(server.process().toHandle());
        victims.addAll(server.process().descendants().toList());
        victims.forEach(ProcessHandle::destroyForcibly);
        for (var victim : victims) {
            victim.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    /** One {@code kill} for all the processes, so they get the signal within microseconds of each other. */
    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        var command = new ArrayList<>(List.of("kill", signal, "--"));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        var kill = new ProcessBuilder(command).inheritIO().start();
        // a child that exited meanwhile makes kill report an error for it; what matters is that none survives
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill " + signal).isTrue();
    }

    /** Every message of the conversation by client id, paging through the history API. */
    private static Map<String, Acked> storedMessages(ApiClient api, String token, String conversation) {
        var messages = new HashMap<String, Acked>();
        String before = null;
        do {
            var page = api.get("api/conversations/" + conversation + "/messages?limit=200"
                    + (before == null ? "" : "&before=" + before), token).body();
            page.path("messages").forEach(m -> messages.put(m.path("clientMessageId").asText(),
                    new Acked(m.path("seq").asLong(), m.path("text").asText())));
            before = page.path("nextBefore").isNull() ? null : page.path("nextBefore").asText();
        } while (before != null);
        return messages;
    }

    private static int status(URI base, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A server process and the data directory whose PostgreSQL it started. */
    private record Server(Process process, URI base, Path dataDir) {

        /** The postmaster named in the data directory's pid file, and its children, while it runs. */
        List<ProcessHandle> postgresProcesses() throws IOException {
            var directory = dataDir.resolve("postgres");
            var pidFile = directory.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return List.of();
            }
            var pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
            // a pid file left by a kill may name a pid the system has given to another process since
            return ProcessHandle.of(pid)
                    .filter(process -> process.info().arguments().map(List::of)
                            .filter(arguments -> arguments.contains(directory.toString())).isPresent())
                    .map(postmaster -> Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList())
                    .orElse(List.of());
        }

        /** SIGTERM, as an operator stops it; its shutdown stops its PostgreSQL. */
        void stop() throws Exception {
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the server exits on SIGTERM").isTrue();
            stopAnyway();
        }

        /** Leaves no process of this test behind, whatever state the test ended in. */
        void stopAnyway() throws Exception {
            var left = new ArrayList<ProcessHandle>();
            if (process.isAlive()) {
                left.add(process.toHandle());
                left.addAll(process.descendants().toList());
            }
            left.addAll(postgresProcesses());
            left.forEach(ProcessHandle::destroyForcibly);
            for (var handle : left) {
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
