package com.hirechat.web.socketio;

import java.time.Duration;

/**
 * The endpoint's limits and heartbeat, as the Engine.IO handshake announces them.
 *
 * @param pingInterval how often the server pings (the client answers each ping with a pong)
 * @param pingTimeout  how long past an unanswered ping the session is given up
 * @param maxPayloadBytes the largest HTTP body the client may post (the server's own limit on request bodies)
 * @param maxEventChars the longest Socket.IO packet accepted, as /ws's frame limit (UTF-16 code units)
 * @param queueCapacity the most packets queued for one client before it is disconnected as too slow
 */
public record SocketIoSettings(Duration pingInterval, Duration pingTimeout, int maxPayloadBytes, int maxEventChars,
                               int queueCapacity) {

    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
    public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);

    public SocketIoSettings {
        if (pingInterval.isNegative() || pingInterval.isZero() || pingTimeout.isNegative() || pingTimeout.isZero()) {
            throw new IllegalArgumentException("ping interval and timeout must be positive");
        }
    }
}
