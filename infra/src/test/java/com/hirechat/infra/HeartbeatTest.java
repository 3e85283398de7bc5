package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dead connections are detected: a connection that sends nothing is closed, one that pings stays. */
class HeartbeatTest {

    private static ChatApplication app;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        app = TestServers.on(TestServers.freshDatabase(), Map.of("HIRECHAT_IDLE_TIMEOUT_SECONDS", "3"));
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void silentConnectionsAreClosedAndPingingOnesStay() {
        try (var silent = WsClient.connect(api.base(), api.login("silent"));
             var pinging = WsClient.connect(api.base(), api.login("pinging"))) {
            var pings = new AtomicInteger();
            var heartbeat = Executors.newSingleThreadScheduledExecutor();
            heartbeat.scheduleAtFixedRate(() -> {
                pinging.send("{\"type\":\"ping\"}");
                pings.incrementAndGet();
            }, 0, 500, TimeUnit.MILLISECONDS);
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> silent.closed().isDone());
                // closed without a close frame, as docs/protocol.md says: the client reports 1006 (abnormal closure)
                assertThat(silent.closed().join()).isEqualTo(1006);
                assertThat(pinging.closed()).isNotDone();
                assertThat(pinging.framesOfType("pong")).isNotEmpty();
                assertThat(pings.get()).isGreaterThan(4);
            } finally {
                heartbeat.shutdownNow();
            }
        }
    }

}
