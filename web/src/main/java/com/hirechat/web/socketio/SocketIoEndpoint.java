package com.hirechat.web.socketio;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

/**
 * The Engine.IO 4 server under {@code /socket.io/}: HTTP long-polling (GET and POST) and WebSocket, with the upgrade
 * from one to the other, carrying Socket.IO 5 packets to a {@link SocketIoHandler}. See package-info for its rules.
 */
public final class SocketIoEndpoint implements HttpService, AutoCloseable {

    /** Where the endpoint is served. */
    public static final String PATH = "/socket.io/";

    private final SocketIoHandler handler;
    private final SocketIoSettings settings;
    private final ConcurrentHashMap<String, SocketIoSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("socketio-heartbeat").factory());

    public SocketIoEndpoint(SocketIoHandler handler, SocketIoSettings settings) {
        this.handler = handler;
        this.settings = settings;
    }

    SocketIoHandler handler() {
        return handler;
    }

    SocketIoSettings settings() {
        return settings;
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    void forget(SocketIoSession session) {
        sessions.remove(session.sid, session);
    }

    /** Sessions open on this node. */
    public int size() {
        return sessions.size();
    }

    /** Ends every session (a drain): clients reconnect, to another node or to this one restarted, and recover. */
    public void closeAll() {
        sessions.values().forEach(session -> session.closeAfterQueued("server shutting down"));
    }

    @Override
    public void close() {
        closeAll();
        scheduler.shutdownNow();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::get).post("/", this::post).any("/", (request, response) -> refuse(response,
                EngineError.BAD_REQUEST));
    }

    /** The Engine.IO error bodies the reference server answers with (clients know them by code). */
    enum EngineError {
        UNKNOWN_TRANSPORT(0, "Transport unknown"),
        UNKNOWN_SID(1, "Session ID unknown"),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
        BAD_REQUEST(3, "Bad request"),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

        final int code;
        final String message;

        EngineError(int code, String message) {
            this.code = code;
            this.message = message;
        }
    }

    private void get(ServerRequest request, ServerResponse response) throws InterruptedException {
        var query = request.query();
        if (!checked(query, response)) {
            return;
        }
        var sid = query.first("sid").asOptional();
        if (sid.isEmpty()) {
            var session = new SocketIoSession(this, request.headers());
            sessions.put(session.sid, session);
            session.startHeartbeat();
            text(response, session.openPacket(true));
            return;
        }
        var session = sessions.get(sid.get());
        if (session == null || session.isUpgraded()) {
            refuse(response, EngineError.UNKNOWN_SID);
            return;
        }
        // a poll waits for packets; the heartbeat's ping ends it within the ping interval at the latest
        var payload = session.poll(settings.pingInterval().plus(settings.pingTimeout()));
        if (payload == null) {
            // two polls at once break the protocol: the reference server ends the session
            session.close("transport error");
            refuse(response, EngineError.BAD_REQUEST);
            return;
        }
        text(response, payload);
    }

    private void post(ServerRequest request, ServerResponse response) {
        var query = request.query();
        if (!checked(query, response)) {
            return;
        }
        var sid = query.first("sid").asOptional();
        if (sid.isEmpty()) {
            refuse(response, EngineError.BAD_HANDSHAKE_METHOD);
            return;
        }
        var session = sessions.get(sid.get());
        if (session == null) {
            refuse(response, EngineError.UNKNOWN_SID);
            return;
        }
        var body = request.content().hasEntity() ? request.content().as(byte[].class) : new byte[0];
        var text = new String(body, StandardCharsets.UTF_8);
        for (var packet : text.split(String.valueOf(SocketIoSession.RECORD_SEPARATOR), -1)) {
            if (packet.startsWith("b")) {
                // binary over polling (base64): not part of this endpoint
                session.close("parse error");
                refuse(response, EngineError.BAD_REQUEST);
                return;
            }
            session.receive(packet);
        }
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html"));
        response.send("ok");
    }

    private static boolean checked(UriQuery query, ServerResponse response) {
        if (!"4".equals(query.first("EIO").orElse(""))) {
            refuse(response, EngineError.UNSUPPORTED_PROTOCOL_VERSION);
            return false;
        }
        if (!"polling".equals(query.first("transport").orElse(""))) {
            refuse(response, EngineError.UNKNOWN_TRANSPORT);
            return false;
        }
        return true;
    }

    private static void text(ServerResponse response, String payload) {
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8"));
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(payload.getBytes(StandardCharsets.UTF_8));
    }

    private static void refuse(ServerResponse response, EngineError error) {
        // the reference server answers every one of these with 400
        response.status(Status.BAD_REQUEST_400);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(SocketIoPacket.encode(Map.of("code", error.code, "message", error.message))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A WebSocket at {@link #PATH}: an upgrade of a polling session ({@code sid}), or a session of its own. */
    public WsListener webSocket() {
        return new Upgrade();
    }

    private final class Upgrade implements WsListener {
        private SocketIoSession session;
        private boolean probing;
        /** The fragments of a message still arriving (clients rarely fragment; Helidon hands them over as they come). */
        private final StringBuilder partial = new StringBuilder();
        private Headers headers;

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers upgradeHeaders) {
            var query = prologue.query();
            if (!"4".equals(query.first("EIO").orElse("")) || !"websocket".equals(query.first("transport").orElse(""))) {
                throw refusal(EngineError.BAD_REQUEST);
            }
            var sid = query.first("sid").asOptional();
            if (sid.isPresent()) {
                session = sessions.get(sid.get());
                if (session == null || session.isUpgraded()) {
                    throw refusal(EngineError.UNKNOWN_SID);
                }
                probing = true;
            }
            headers = upgradeHeaders;
            return Optional.empty();
        }

        private static RequestException refusal(EngineError error) {
            return RequestException.builder().type(DirectHandler.EventType.BAD_REQUEST).status(Status.BAD_REQUEST_400)
                    .message(error.message).build();
        }

        @Override
        public void onOpen(WsSession ws) {
            if (session == null) {
                // a WebSocket from the start: the handshake is its first packet
                session = new SocketIoSession(SocketIoEndpoint.this, headers);
                sessions.put(session.sid, session);
                session.queue(Outgoing.of(session.openPacket(false)));
                session.useWebSocket(ws);
                session.startHeartbeat();
            }
        }

        @Override
        public void onMessage(WsSession ws, String fragment, boolean last) {
            if (!last || !partial.isEmpty()) {
                partial.append(fragment);
                if (partial.length() > settings.maxPayloadBytes()) {
                    // no packet of any size the endpoint accepts is this long: the client is broken
                    partial.setLength(0);
                    ws.close(1009, "message too big");
                    return;
                }
                if (!last) {
                    return;
                }
                fragment = partial.toString();
                partial.setLength(0);
            }
            var text = fragment;
            if (probing) {
                if ((SocketIoSession.PING + "probe").equals(text)) {
                    session.sendDirect(ws, SocketIoSession.PONG + "probe");
                    session.releasePoll();
                } else if (SocketIoSession.UPGRADE.equals(text)) {
                    probing = false;
                    session.useWebSocket(ws);
                } else {
                    ws.close(1002, "unexpected packet during the upgrade");
                }
                return;
            }
            session.receive(text);
        }

        @Override
        public void onMessage(WsSession ws, BufferData buffer, boolean last) {
            // binary attachments are not part of this endpoint
            if (session != null) {
                session.close("parse error");
            }
        }

        @Override
        public void onClose(WsSession ws, int status, String reason) {
            if (session != null && session.isUpgraded()) {
                session.close("transport close");
            }
        }

        @Override
        public void onError(WsSession ws, Throwable t) {
            if (session != null && session.isUpgraded()) {
                session.close("transport error");
            }
        }
    }
}
