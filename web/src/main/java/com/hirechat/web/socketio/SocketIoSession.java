package com.hirechat.web.socketio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.Headers;
import io.helidon.websocket.WsSession;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * One Engine.IO session and the Socket.IO connection on it: a bounded outgoing queue drained by exactly one writer at a
 * time (the pending long-poll GET, or after the upgrade the WebSocket writer), and incoming packets handled one at a
 * time, in arrival order, whichever transport carried them.
 */
final class SocketIoSession implements SocketIoConnection {

    private static final Logger LOG = Logger.getLogger(SocketIoSession.class.getName());
    static final String MESSAGE = "4";
    static final String OPEN = "0";
    static final String CLOSE = "1";
    static final String PING = "2";
    static final String PONG = "3";
    static final String UPGRADE = "5";
    static final String NOOP = "6";
    static final char RECORD_SEPARATOR = '\u001e';
    private static final int MAX_BATCH = 256;
    private static final Duration DRAIN_PATIENCE = Duration.ofSeconds(2);
    /** The last item: tells a long-poll the session ended; a WebSocket is closed instead. */
    private static final Outgoing END = () -> CLOSE;

    final String sid = UUID.randomUUID().toString();
    private final SocketIoEndpoint endpoint;
    private final Headers handshake;
    private final LinkedBlockingQueue<Outgoing> queue;
    private final ReentrantLock reading = new ReentrantLock();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object room = new Object();
    private volatile WsSession webSocket;
    private volatile boolean upgraded;
    private volatile long pingSentNanos;
    private volatile long pongNanos = System.nanoTime();
    private ScheduledFuture<?> heartbeat;
    /** The connected client, guarded by {@link #reading}; null until its CONNECT is accepted. */
    private SocketIoHandler.Listener listener;

    SocketIoSession(SocketIoEndpoint endpoint, Headers handshake) {
        this.endpoint = endpoint;
        this.handshake = handshake;
        // one slot kept for the END item
        this.queue = new LinkedBlockingQueue<>(endpoint.settings().queueCapacity() + 1);
    }

    /** The OPEN packet: the session id, the upgrade offered, the heartbeat and the largest body accepted. */
    String openPacket(boolean offerUpgrade) {
        var settings = endpoint.settings();
        var open = new LinkedHashMap<String, Object>();
        open.put("sid", sid);
        open.put("upgrades", offerUpgrade ? List.of("websocket") : List.of());
        open.put("pingInterval", settings.pingInterval().toMillis());
        open.put("pingTimeout", settings.pingTimeout().toMillis());
        open.put("maxPayload", settings.maxPayloadBytes());
        return OPEN + SocketIoPacket.encode(open);
    }

    void startHeartbeat() {
        var interval = endpoint.settings().pingInterval().toMillis();
        heartbeat = endpoint.scheduler().scheduleAtFixedRate(this::heartbeat, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Pings; gives up a session whose previous ping went unanswered past the timeout. */
    private void heartbeat() {
        var now = System.nanoTime();
        if (pingSentNanos != 0 && pongNanos < pingSentNanos
                && now - pingSentNanos > endpoint.settings().pingTimeout().toNanos()) {
            close("ping timeout");
            return;
        }
        pingSentNanos = now;
        queue(Outgoing.of(PING));
    }

    // --- outgoing ---

    @Override
    public boolean queue(Outgoing item) {
        if (closed.get()) {
            return false;
        }
        if (queue.remainingCapacity() > 1 && queue.offer(item)) {
            return true;
        }
        LOG.warning("a Socket.IO client fell " + queue.size() + " packets behind and is disconnected");
        closeForBacklog();
        return false;
    }

    @Override
    public boolean queueWaiting(Outgoing item, Duration patience) {
        var deadline = System.nanoTime() + patience.toNanos();
        try {
            while (queue.remainingCapacity() <= 1) {
                if (closed.get() || System.nanoTime() > deadline) {
                    closeForBacklog();
                    return false;
                }
                synchronized (room) {
                    room.wait(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !closed.get() && queue.offer(item);
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void closeForBacklog() {
        close("backlog exceeded");
    }

    /**
     * A long-poll: waits up to {@code patience} for packets and returns them as one payload ({@code 6} when none came).
     * Null when another GET of this session is already waiting (the protocol allows one at a time).
     */
    String poll(Duration patience) throws InterruptedException {
        if (!polling.compareAndSet(false, true)) {
            return null;
        }
        try {
            var deadline = System.nanoTime() + patience.toNanos();
            var packets = new ArrayList<String>();
            while (packets.isEmpty()) {
                var left = deadline - System.nanoTime();
                var first = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (first == null) {
                    return NOOP;
                }
                var items = new ArrayList<Outgoing>();
                items.add(first);
                queue.drainTo(items, MAX_BATCH);
                signalRoom();
                for (var item : items) {
                    var packet = item.render();
                    if (packet != null) {
                        packets.add(packet);
                    }
                    if (item == END) {
                        endpoint.forget(this);
                        break;
                    }
                }
            }
            return String.join(String.valueOf(RECORD_SEPARATOR), packets);
        } finally {
            polling.set(false);
        }
    }

    private void signalRoom() {
        synchronized (room) {
            room.notifyAll();
        }
    }

    /** The WebSocket transport takes over: from now on its writer alone drains the queue. */
    void useWebSocket(WsSession session) {
        webSocket = session;
        upgraded = true;
        Thread.ofVirtual().name("socketio-writer").start(this::writeToWebSocket);
    }

    boolean isUpgraded() {
        return upgraded;
    }

    private void writeToWebSocket() {
        var session = webSocket;
        try {
            while (true) {
                var item = queue.take();
                signalRoom();
                if (item == END) {
                    session.close(1000, "closed");
                    return;
                }
                var packet = item.render();
                if (packet != null && !NOOP.equals(packet)) {
                    session.send(packet, true);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Socket.IO WebSocket write failed", e);
            close("transport error");
        }
    }

    /** Sent on the WebSocket right away during the probe, outside the queue (the queue still belongs to polling). */
    void sendDirect(WsSession session, String packet) {
        session.send(packet, true);
    }

    /** Lets the pending long-poll return, so the client can pause polling and finish the upgrade. */
    void releasePoll() {
        queue.offer(Outgoing.of(NOOP));
    }

    // --- incoming ---

    /** One Engine.IO packet from the client, on whichever transport; handled in order with the session's others. */
    void receive(String packet) {
        reading.lock();
        try {
            if (closed.get()) {
                return;
            }
            if (packet.isEmpty()) {
                throw new SocketIoPacket.Malformed("empty Engine.IO packet");
            }
            switch (packet.substring(0, 1)) {
                case MESSAGE -> socketIo(packet.substring(1));
                case PONG -> pongNanos = System.nanoTime();
                case PING -> queue(Outgoing.of(PONG + packet.substring(1)));
                case CLOSE -> close("transport close");
                case NOOP -> {
                }
                default -> throw new SocketIoPacket.Malformed("unknown Engine.IO packet type");
            }
        } catch (SocketIoPacket.Malformed e) {
            LOG.fine(() -> "Socket.IO session closed: " + e.getMessage());
            close("parse error");
        } finally {
            reading.unlock();
        }
    }

    private void socketIo(String text) {
        var packet = SocketIoPacket.parse(text);
        if (!"/".equals(packet.namespace())) {
            if (packet.type() == SocketIoPacket.CONNECT) {
                queue(Outgoing.of(MESSAGE + SocketIoPacket.CONNECT_ERROR + packet.namespace() + ","
                        + SocketIoPacket.encode(refusal("invalid_namespace", "only the default namespace exists"))));
            }
            return; // packets for a namespace not connected are ignored, as by the reference server
        }
        switch (packet.type()) {
            case SocketIoPacket.CONNECT -> connect(packet);
            case SocketIoPacket.EVENT -> event(packet, text.length());
            case SocketIoPacket.DISCONNECT -> close("client namespace disconnect");
            case SocketIoPacket.ACK -> {
                // the server never asks the client for an answer
            }
            default -> throw new SocketIoPacket.Malformed("a client does not send this packet type");
        }
    }

    private void connect(SocketIoPacket packet) {
        var payload = packet.data();
        if (payload != null && !payload.isObject()) {
            throw new SocketIoPacket.Malformed("a CONNECT payload is an object");
        }
        if (listener != null) {
            return; // connected already
        }
        try {
            var accepted = endpoint.handler().connect(this,
                    payload == null ? SocketIoPacket.MAPPER.createObjectNode() : payload, handshake);
            listener = accepted.listener();
            var reply = new LinkedHashMap<String, Object>();
            reply.put("sid", UUID.randomUUID().toString());
            reply.put("pid", accepted.pid());
            queue(Outgoing.of(MESSAGE + SocketIoPacket.CONNECT + SocketIoPacket.encode(reply)));
            accepted.afterConnect().run();
        } catch (SocketIoHandler.Refused refused) {
            queue(Outgoing.of(MESSAGE + SocketIoPacket.CONNECT_ERROR
                    + SocketIoPacket.encode(refusal(refused.code(), refused.getMessage()))));
        }
    }

    private static Map<String, Object> refusal(String code, String message) {
        var data = new LinkedHashMap<String, Object>();
        data.put("code", code);
        data.put("message", message);
        var refusal = new LinkedHashMap<String, Object>();
        refusal.put("message", code);
        refusal.put("data", data);
        return refusal;
    }

    private void event(SocketIoPacket packet, int length) {
        if (listener == null) {
            return; // not connected: ignored, as by the reference server
        }
        if (length > endpoint.settings().maxEventChars()) {
            listener.onOversizedEvent(packet.ackId());
            return;
        }
        var data = packet.data();
        if (!(data instanceof ArrayNode array) || array.isEmpty() || !array.get(0).isTextual()) {
            throw new SocketIoPacket.Malformed("an EVENT is an array starting with its name");
        }
        var name = array.get(0).textValue();
        array.remove(0);
        listener.onEvent(name, array, packet.ackId());
    }

    // --- end ---

    /**
     * A drain: the packet being handled finishes (its ack is queued, as a send stored just now must still be
     * acknowledged), what is queued goes out, then the session ends.
     */
    void closeAfterQueued(String reason) {
        var handled = false;
        try {
            handled = reading.tryLock(DRAIN_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            close(reason, false);
        } finally {
            if (handled) {
                reading.unlock();
            }
        }
    }

    /** Ends the session (once) at once, dropping what is queued: the client is told on its next poll, or its WebSocket is closed. */
    void close(String reason) {
        close(reason, true);
    }

    private void close(String reason, boolean dropQueued) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (upgraded) {
            endpoint.forget(this);
        } else {
            // kept until a poll has taken the close packet, or until a client that never polls again would be given up
            var settings = endpoint.settings();
            endpoint.scheduler().schedule(() -> endpoint.forget(this),
                    settings.pingInterval().plus(settings.pingTimeout()).toMillis(), TimeUnit.MILLISECONDS);
        }
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
        if (dropQueued || !queue.offer(END)) {
            queue.clear();
            queue.offer(END);
        }
        signalRoom();
        var socket = webSocket;
        if (socket != null && !upgraded) {
            // a probe that never completed
            try {
                socket.close(1000, "closed");
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "closing a probe failed", e);
            }
        }
        // the listener is told outside the reading lock's order only if no packet is being handled
        Thread.ofVirtual().name("socketio-disconnect").start(() -> {
            reading.lock();
            try {
                if (listener != null) {
                    var gone = listener;
                    listener = null;
                    gone.onDisconnect(reason);
                }
            } finally {
                reading.unlock();
            }
        });
    }
}
