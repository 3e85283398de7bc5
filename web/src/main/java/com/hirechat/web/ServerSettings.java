package com.hirechat.web;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the web server listens and what it allows.
 *
 * @param host            interface to bind
 * @param port            TCP port; 0 picks a free one
 * @param devLogin        whether {@code POST /api/dev/login} hands out tokens for any user name
 * @param maxFrameChars   longest WebSocket frame accepted, in characters
 * @param outboxCapacity  frames queued for one client before it is disconnected as too slow
 * @param idleTimeout     a connection that sends nothing for this long is closed (clients ping to stay)
 * @param allowedOrigins  origins whose pages may open WebSockets; empty means this server's own origin only
 * @param messagesPerSecond sustained writes (send, edit, redact) allowed per user
 * @param messageBurst    writes a user may make at once before the rate applies
 * @param maxConnectionsPerUser WebSockets one user may hold open on one node
 * @param metricsOnPublicPort whether {@code /metrics} is served on the public port as well (never in production)
 * @param management    a second listener for operators ({@code /metrics} and health), when configured
 */
public record ServerSettings(String host, int port, boolean devLogin, int maxFrameChars, int outboxCapacity,
                             Duration idleTimeout, Set<String> allowedOrigins, double messagesPerSecond,
                             int messageBurst, int maxConnectionsPerUser, boolean metricsOnPublicPort,
                             Optional<Management> management) {

    /** Where the management listener binds: loopback or an internal interface, apart from the public port. */
    public record Management(String host, int port) {

        public Management {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535");
            }
        }
    }

    public static final int DEFAULT_MAX_FRAME_CHARS = 64 * 1024;
    public static final int DEFAULT_OUTBOX_CAPACITY = 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(90);
    public static final double DEFAULT_MESSAGES_PER_SECOND = 5;
    public static final int DEFAULT_MESSAGE_BURST = 20;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 20;

    /**
     * The longest single WebSocket frame the server reads at all, in bytes: room for {@code maxFrameChars} characters
     * of any UTF-8 width. A longer frame is never buffered; Helidon closes the connection with 1009 (message too big)
     * on reading its header. Between {@code maxFrameChars} characters and this, the frame gets {@code frame_too_large}.
     */
    public int maxFrameBytes() {
        return maxFrameChars * 4;
    }

    public ServerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
    }
}
