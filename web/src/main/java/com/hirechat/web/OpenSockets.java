package com.hirechat.web;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The WebSockets a drain must close. A socket joins at its upgrade, before the client sees the upgrade accepted, not
 * when it opens: a client can hold an accepted upgrade whose {@code onOpen} has not run yet, and a drain that missed
 * such a socket stopped the server under it, so Helidon closed it with 1000 ("Idle timeout") instead of 1012.
 */
final class OpenSockets {

    private final Set<ChatSocket> sockets = ConcurrentHashMap.newKeySet();
    /** Set once the drain has asked every socket to close; guarded by {@code this} together with the joining. */
    private boolean closing;

    /**
     * Adds an upgraded socket. True when the drain has already closed the others: the socket is then to be closed
     * for restart as soon as it opens, as they were.
     */
    synchronized boolean join(ChatSocket socket) {
        sockets.add(socket);
        return closing;
    }

    void leave(ChatSocket socket) {
        sockets.remove(socket);
    }

    /**
     * Releases every socket whose connection is gone: closed, or silent for longer than {@code silence} (see
     * {@link ChatSocket#releaseIfGone}); returns how many.
     */
    int releaseGone(Duration silence, long nowNanos) {
        var released = 0;
        for (var socket : List.copyOf(sockets)) {
            if (socket.releaseIfGone(silence, nowNanos)) {
                released++;
            }
        }
        return released;
    }

    int size() {
        return sockets.size();
    }

    boolean isEmpty() {
        return sockets.isEmpty();
    }

    /**
     * Closes every socket with {@code code}, and every socket that joins from now on as it opens. Under the lock, a
     * socket either joined before (and is closed here) or sees {@code closing} (and closes itself): none slips between.
     */
    void closeAll(int code) {
        List<ChatSocket> joined;
        synchronized (this) {
            closing = true;
            joined = List.copyOf(sockets);
        }
        // outside the lock: each waits up to a moment for the frame its socket is handling
        joined.forEach(socket -> socket.closeForRestart(code));
    }
}
