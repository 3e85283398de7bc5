package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.hirechat.projections.TestDatabase;

/**
 * A crash can leave {@code postmaster.pid} behind, and the system can give its pid to another process: the next
 * start must see that the file is not a running server's, clear it and start PostgreSQL; while a server of the
 * directory does run, it must be found and never started twice.
 */
class StalePidFileTest {

    /** What the stale file's port leads to. */
    enum PortHolder {
        NOTHING, SILENT_LISTENER, ANOTHER_POSTGRESQL
    }

    @TempDir
    static Path dataDir;
    private static String conversation;
    private static String token;
    private static long sent;
    private static Process unrelated;

    @BeforeAll
    static void aDataDirectoryWithAConversation() throws IOException {
        try (var app = TestServers.withEmbeddedDatabaseIn(dataDir)) {
            var api = new ApiClient(app.uri());
            token = api.login("stale-seeker");
            conversation = api.startConversation(token, "stale-recruiter");
            sent = send(api, "before");
        }
        // alive for the whole class, and neither this JVM nor its parent, which PostgreSQL would let pass itself
        unrelated = new ProcessBuilder("sleep", "600").start();
    }

    @AfterAll
    static void endTheUnrelatedProcess() throws InterruptedException {
        if (unrelated != null) {
            unrelated.destroyForcibly();
            unrelated.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(PortHolder.class)
    void aPidFileNamingALiveUnrelatedProcessDoesNotStopARestart(PortHolder holder) throws Exception {
        try (var listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            var port = switch (holder) {
                case NOTHING -> TestServers.freePort();
                // accepts connections and never says a word, as a hung or foreign service would
                case SILENT_LISTENER -> listener.getLocalPort();
                case ANOTHER_POSTGRESQL -> URI.create(TestDatabase.createDatabase().jdbcUrl().substring(5)).getPort();
            };
            writePidFile(unrelated.pid(), port);

            try (var app = TestServers.withEmbeddedDatabaseIn(dataDir)) {
                var api = new ApiClient(app.uri());
                // the history is a read model: the previous run may have stopped before projecting its last message
                TestServers.awaitProjectionsCaughtUp(app.uri());
                var history = api.get("api/conversations/" + conversation + "/messages", token);
                assertThat(history.status()).isEqualTo(200);
                assertThat(history.body().path("messages").findValuesAsText("text")).contains("before");
                var seq = send(api, holder.name());
                assertThat(seq).as("the restarted server stores and numbers on").isEqualTo(sent + 1);
                sent = seq;
            }
            assertThat(unrelated.isAlive()).as("the process named in the stale file is left alone").isTrue();
        }
    }

    @Test
    void theRunningServerOfTheDirectoryIsFoundAndItsPidFileKept() throws Exception {
        try (var app = TestServers.withEmbeddedDatabaseIn(dataDir)) {
            var pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
            var lines = Files.readAllLines(pidFile);
            var port = Integer.parseInt(lines.get(3).strip());
            assertThat(RunningEmbeddedPostgres.in(dataDir.resolve("postgres"))).hasValue(port);
            assertThat(pidFile).exists();

            // frozen, it cannot answer; its command line still says it is this directory's server
            var postmaster = lines.get(0).strip();
            signal("-STOP", postmaster);
            try {
                assertThat(RunningEmbeddedPostgres.in(dataDir.resolve("postgres"))).hasValue(port);
                assertThat(pidFile).exists();
            } finally {
                signal("-CONT", postmaster);
            }
            assertThat(new ApiClient(app.uri()).get("api/conversations/" + conversation + "/messages", token)
                    .status()).isEqualTo(200);
        }
    }

    private static long send(ApiClient api, String text) {
        var ack = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + text + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).isEqualTo(200);
        return ack.body().path("seq").asLong();
    }

    /** PostgreSQL's layout: pid, data directory, start time, port, socket directory, address, shared memory, status. */
    private static void writePidFile(long pid, int port) throws IOException {
        var directory = dataDir.resolve("postgres");
        Files.write(directory.resolve("postmaster.pid"), List.of(
                Long.toString(pid), directory.toString(), Long.toString(System.currentTimeMillis() / 1000),
                Integer.toString(port), "/tmp", "localhost", "  5432001         0", "ready   "));
    }

    private static void signal(String signal, String pid) throws Exception {
        var kill = new ProcessBuilder("kill", signal, pid).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill " + signal).isTrue();
    }
}
