package com.hirechat.web;

import java.util.concurrent.ConcurrentHashMap;

import com.hirechat.domain.UserId;

/** Caps the WebSockets one user holds open on this node. */
final class ConnectionLimiter {

    private final int maxPerUser;
    private final ConcurrentHashMap<UserId, Integer> open = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxPerUser) {
        this.maxPerUser = maxPerUser;
    }

    /** Counts a new connection, or refuses it with {@code too_many_connections}. */
    void acquire(UserId user) {
        var refused = new boolean[1];
        open.compute(user, (u, count) -> {
            var current = count == null ? 0 : count;
            if (current >= maxPerUser) {
                refused[0] = true;
                return count;
            }
            return current + 1;
        });
        if (refused[0]) {
            throw new ApiException(429, "too_many_connections",
                    "at most " + maxPerUser + " connections per user");
        }
    }

    void release(UserId user) {
        open.computeIfPresent(user, (u, count) -> count <= 1 ? null : count - 1);
    }
}
