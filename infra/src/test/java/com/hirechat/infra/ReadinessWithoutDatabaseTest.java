package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
            var database = new TestDatabase.Coordinates(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "");
            try (var app = TestServers.on(database, Map.of())) {
                assertThat(ready(app.uri()).statusCode()).isEqualTo(200);

                postgres.close(); // PostgreSQL's fast shutdown: every connection of the node is cut
                await("503 soon after the database stopped").atMost(Duration.ofSeconds(3))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> ready(app.uri()).statusCode() == 503);
                // and so on, each answer within its deadline (a request that times out throws and fails this)
                await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> {
                            var answer = ready(app.uri());
                            return answer.statusCode() == 503 && answer.body().contains("\"database\":false");
                        });

                postgres = startPostgres(port);
                await("200 once the database is back").atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> ready(app.uri()).statusCode() == 200);
            }
        } finally {
            postgres.close();
        }
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
