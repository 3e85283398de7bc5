package com.hirechat.web;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;

/**
 * The single writer of one WebSocket session. Helidon's {@code WsSession.send} is not thread-safe, and a client
 * that stops reading must not stall anyone else: frames go into a bounded queue drained by one virtual thread,
 * and a client whose backlog overflows is disconnected (it resumes with {@code afterSeq}).
 */
final class Outbox implements FrameSink {

    private static final Logger LOG = Logger.getLogger(Outbox.class.getName());

    /** WebSocket close code telling the client it fell too far behind. */
    static final int CLOSE_BACKLOG_EXCEEDED = CloseCode.BACKLOG_EXCEEDED.code();
    /** WebSocket close code for a failure on the server's side (RFC 6455). */
    private static final int CLOSE_INTERNAL_ERROR = CloseCode.INTERNAL_ERROR.code();
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
    /** How often an idle connection is probed with an unsolicited pong (see {@link #probe}). */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private sealed interface Item permits Text, Close, Probe {
    }

    /** An unsolicited pong (RFC 6455 5.5.3: no answer expected): a write that fails once the connection is gone. */
    private record Probe() implements Item {
    }

    /** Rendered as JSON by the writer: the thread that committed an event does not pay for every subscriber's. */
    private record Text(ServerFrame frame) implements Item {
    }

    private record Close(int code, String reason) implements Item {
    }

    private final WsSession session;
    private final BlockingQueue<Item> queue;
    private final Thread writer;
    private final Object room = new Object();
    private volatile boolean closing;
    /** When the writer last wrote, or a probe was queued: a connection written to recently needs no probe. */
    private volatile long lastWriteNanos = System.nanoTime();
    /** A write failed: the connection is gone. */
    private volatile boolean broken;

    private final Runnable onFrameWritten;

    Outbox(WsSession session, int capacity, Runnable onFrameWritten) {
        this.session = session;
        this.onFrameWritten = onFrameWritten;
        // linked, not an array: an idle connection then holds no slots (10,000 idle sockets × 1,025 slots adds up)
        this.queue = new LinkedBlockingQueue<>(capacity + 1);
        this.writer = Thread.ofVirtual().name("ws-writer").start(this::drain);
    }

    /** Queues a frame; false when the session is closing or the client fell too far behind (it is then closed). */
    @Override
    public boolean send(ServerFrame frame) {
        if (closing) {
            return false;
        }
        // capacity + 1 keeps one slot free for the close item below
        if (queue.remainingCapacity() > 1 && queue.offer(new Text(frame))) {
            return true;
        }
        LOG.warning("a client fell " + queue.size() + " frames behind and is disconnected");
        close(CLOSE_BACKLOG_EXCEEDED, "backlog exceeded; reconnect and resume with afterSeq");
        return false;
    }

    /**
     * Queues a frame, waiting up to {@code patience} for room: for catch-up replays, which may be far longer
     * than the queue. False, and the session is closed, when the client did not make room in time.
     */
    @Override
    public boolean sendWaiting(ServerFrame frame, Duration patience) {
        if (closing) {
            return false;
        }
        try {
            var item = new Text(frame);
            var deadline = System.nanoTime() + patience.toNanos();
            // keep the spare slot for a close item, as send() does
            while (queue.remainingCapacity() <= 1) {
                if (closing || System.nanoTime() > deadline) {
                    close(CLOSE_BACKLOG_EXCEEDED, "backlog exceeded; reconnect and resume with afterSeq");
                    return false;
                }
                synchronized (room) {
                    room.wait(50);
                }
            }
            return queue.offer(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean isOpen() {
        return !closing;
    }

    @Override
    public void closeForBacklog() {
        close(CLOSE_BACKLOG_EXCEEDED, "backlog exceeded; reconnect and resume with afterSeq");
    }

    /** Whether a write failed because the connection is gone. */
    boolean isBroken() {
        return broken;
    }

    /**
     * Asks the writer to touch the connection (at most every {@link #PROBE_INTERVAL}, and only when nothing else was
     * written meanwhile), so that a connection gone without a word is noticed ({@link #isBroken}
     * turns true when the write fails). Skipped while frames are queued: their writes tell as much. It draws no
     * answer from the client, so it keeps no silent connection from its idle timeout.
     */
    void probe() {
        var now = System.nanoTime();
        if (!closing && queue.isEmpty() && now - lastWriteNanos >= PROBE_INTERVAL.toNanos()) {
            lastWriteNanos = now; // one probe in flight per interval
            queue.offer(new Probe());
        }
    }

    /** Closes the session after what is queued so far, unless it is overflowing, in which case at once. */
    void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        if (code == CLOSE_BACKLOG_EXCEEDED) {
            queue.clear();
        }
        if (!queue.offer(new Close(code, reason))) {
            queue.clear();
            queue.offer(new Close(code, reason));
        }
        // a client that reads nothing keeps the writer blocked in a socket write, so it would never get to the
        // close frame; interrupting a virtual thread blocked on a socket closes that socket
        Thread.ofVirtual().name("ws-close-watchdog").start(() -> {
            try {
                if (!writer.join(CLOSE_GRACE)) {
                    writer.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Closes the session at once, from the caller's thread: only for a session that has had nothing queued (the
     * writer then never touches the session), and only from the thread Helidon runs the connection on, so that no
     * two threads write the session at once.
     */
    void closeAtOnce(int code, String reason) {
        closing = true;
        try {
            session.close(code, reason);
        } catch (RuntimeException e) {
            // the socket broke under us; the listener's cleanup runs when the connection ends
            LOG.log(Level.FINE, "WebSocket close failed", e);
        }
    }

    /** The connection is gone: stop writing. */
    void stop() {
        closing = true;
        writer.interrupt();
    }

    private void drain() {
        try {
            while (true) {
                var item = queue.take();
                synchronized (room) {
                    room.notifyAll();
                }
                switch (item) {
                    case Text text -> {
                        String json;
                        try {
                            json = Json.write(text.frame());
                        } catch (IllegalStateException e) {
                            // a bug, not the client's doing; skipping the frame would leave a gap, so it resumes
                            LOG.log(Level.SEVERE, "a frame could not be rendered; closing the session", e);
                            session.close(CLOSE_INTERNAL_ERROR, "internal error; reconnect and resume with afterSeq");
                            return;
                        }
                        session.send(json, true);
                        lastWriteNanos = System.nanoTime();
                        onFrameWritten.run();
                    }
                    case Close close -> {
                        session.close(close.code(), close.reason());
                        return;
                    }
                    case Probe probe -> session.pong(BufferData.empty());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the socket broke under us: the socket's release notices (ChatSocket#releaseIfGone)
            LOG.log(Level.FINE, "WebSocket write failed", e);
            closing = true;
            broken = true;
        }
    }
}
