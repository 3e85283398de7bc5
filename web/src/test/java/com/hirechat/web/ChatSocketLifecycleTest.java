package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

import io.helidon.http.HttpPrologue;
import io.helidon.http.Method;
import io.helidon.http.WritableHeaders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.hirechat.domain.UserId;
import com.hirechat.projections.feed.ConversationEventFeed;

/**
 * A socket's life is its own state, not its thread's: an upgrade handled on a thread that then ends keeps its
 * connection, and a connection that goes silent past the idle timeout (a client that vanished without a close frame,
 * of which Helidon tells the listener nothing) gives its slot back.
 */
class ChatSocketLifecycleTest {

    private static final UserId USER = UserId.of("seeker-1");
    private static final Duration IDLE = Duration.ofSeconds(90);

    private final TokenService tokens = TokenService.hmac(
            "lifecycle-secret-lifecycle-secret!".getBytes(StandardCharsets.UTF_8));
    private final ConnectionLimiter limiter = new ConnectionLimiter(1);
    private final OpenSockets sockets = new OpenSockets();
    private final RoomHub hub = new RoomHub(new ConversationEventFeed(EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build()));
    private final ServerSettings settings = new ServerSettings("127.0.0.1", 0, false,
            ServerSettings.DEFAULT_MAX_FRAME_CHARS, 16, IDLE, Set.of(), 5, 20, 1, false, Optional.empty());

    @Test
    void anUpgradeOnAThreadThatEndsKeepsItsConnection() throws InterruptedException {
        var socket = socket();
        var upgrade = Thread.ofVirtual().start(() -> upgrade(socket));
        upgrade.join();

        // the old cleanup waited for the upgrading thread to end and then released the connection under the client
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> sockets.size() == 1);
        assertThatThrownBy(() -> limiter.acquire(USER)).as("the slot is still taken")
                .isInstanceOf(ApiException.class).hasMessageContaining("connections per user");
    }

    @Test
    void aConnectionSilentPastTheIdleTimeoutGivesItsSlotBack() {
        upgrade(socket());

        assertThat(sockets.releaseGone(IDLE, System.nanoTime())).as("heard from just now").isZero();
        assertThat(sockets.size()).isEqualTo(1);

        assertThat(sockets.releaseGone(IDLE, System.nanoTime() + IDLE.plusSeconds(1).toNanos())).isEqualTo(1);
        assertThat(sockets.size()).isZero();
        limiter.acquire(USER); // the slot is free again
        assertThat(sockets.releaseGone(IDLE, System.nanoTime() + IDLE.multipliedBy(2).toNanos()))
                .as("released once").isZero();
    }

    private ChatSocket socket() {
        // what the frames need (commands, queries, inbox, typing) stays out: these tests send none
        return new ChatSocket(new Authenticator(tokens), null, null, hub, null, null, new RateLimiter(5, 20), limiter,
                settings, new ChatMetrics(new SimpleMeterRegistry(), () -> 0), sockets, null);
    }

    private void upgrade(ChatSocket socket) {
        var prologue = HttpPrologue.create("HTTP/1.1", "HTTP", "1.1", Method.GET,
                "/ws?access_token=" + tokens.mint(USER, Set.of("user")), false);
        assertThat(socket.onHttpUpgrade(prologue, WritableHeaders.create())).isEmpty();
    }
}
