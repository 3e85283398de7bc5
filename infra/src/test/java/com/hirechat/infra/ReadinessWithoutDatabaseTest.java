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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.hirechat.projections.TestDatabase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A load balancer checks readiness every few seconds with a short timeout: with the external database stopped, the
 * node must answer 503 at once, every time, and 200 again once the database is back.
 */
class ReadinessWithoutDatabaseTest {

    /** Shorter than any load balancer's health-check timeout. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(1);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(ANSWER_WITHIN).build();

    @TempDir
    Path postgresDirectory;

    @Test
    void readinessAnswers503PromptlyWhileTheDatabaseIsDownAndUpOnceItIsBack() throws Exception {
        var port = TestServers.freePort();
        var postgres = startPostgres(port);
        try {
            try (var app = TestServers.on(coordinates(postgres), Map.of())) {
                assertThat(ready(app.uri()).statusCode()).isEqualTo(200);

                postgres.close(); // PostgreSQL's fast shutdown: every connection of the node is cut
                assertStaysDown(app.uri());

                postgres = startPostgres(port);
                await("200 once the database is back").atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> ready(app.uri()).statusCode() == 200);
            }
        } finally {
            postgres.close();
        }
    }

    @Test
    void readinessAnswers503PromptlyWhileTheDatabaseIsFrozenAndUpOnceItMovesAgain() throws Exception {
        try (var postgres = startPostgres(TestServers.freePort());
             var app = TestServers.on(coordinates(postgres), Map.of())) {
            assertThat(ready(app.uri()).statusCode()).isEqualTo(200);

            // every process of the server stopped (each child leads a session of its own: one by one): connections
            // are accepted by the kernel and never answered, as from a database host that hangs; the URL's long
            // timeouts must not hold the probe up
            var postmaster = ProcessHandle.of(Long.parseLong(
                    Files.readAllLines(postgresDirectory.resolve("postmaster.pid")).getFirst().strip())).orElseThrow();
            var frozen = Stream.concat(Stream.of(postmaster), postmaster.descendants()).toList();
            signal("-STOP", frozen);
            try {
                assertStaysDown(app.uri());
            } finally {
                signal("-CONT", frozen);
            }
            await("200 once the database moves again").atMost(Duration.ofSeconds(20))
                    .ignoreExceptions()
                    .until(() -> ready(app.uri()).statusCode() == 200);
        }
    }

    /** 503 within a couple of seconds, then again and again, each answer within its deadline. */
    private static void assertStaysDown(URI server) {
        await("503 soon after the database stopped answering").atMost(Duration.ofSeconds(4))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ready(server).statusCode() == 503);
        // a request that times out throws, and fails this
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    var answer = ready(server);
                    return answer.statusCode() == 503 && answer.body().contains("\"database\":false");
                });
    }

    /** The server's URL, with timeouts far longer than a health check's: the probe must use its own. */
    private static TestDatabase.Coordinates coordinates(EmbeddedPostgres postgres) {
        return new TestDatabase.Coordinates(postgres.getJdbcUrl("postgres", "postgres")
                + "&connectTimeout=30&loginTimeout=30&socketTimeout=60", "postgres", "");
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        var command = new ArrayList<>(List.of("kill", signal, "--"));
        processes.forEach(process -> command.add(Long.toString(process.pid())));
        var kill = new ProcessBuilder(command).inheritIO().start();
        // a backend that exited meanwhile makes kill report an error for it; the readiness answers tell the rest
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill " + signal).isTrue();
    }

    /** A PostgreSQL of this test's own, which it can stop and start again on the same files and port. */
    private EmbeddedPostgres startPostgres(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(postgresDirectory)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private static HttpResponse<String> ready(URI server) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.resolve("health/ready")).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
