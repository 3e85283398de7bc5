package com.hirechat.web;

import java.time.Duration;

/**
 * Where a subscription's frames go, in order: a WebSocket's {@link Outbox}, or a Socket.IO session's queue. Either
 * has one writer and a bounded queue, and disconnects a client that falls too far behind (it resumes from its seq).
 */
interface FrameSink {

    /** Queues a frame; false when the sink is closing or the client fell too far behind (it is then closed). */
    boolean send(ServerFrame frame);

    /** Queues a frame, waiting up to {@code patience} for room (catch-up replays); false, and closed, when it did not. */
    boolean sendWaiting(ServerFrame frame, Duration patience);

    boolean isOpen();

    /** The client fell too far behind: close it, so it reconnects and resumes. */
    void closeForBacklog();
}
