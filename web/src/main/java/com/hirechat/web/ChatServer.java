package com.hirechat.web;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Logger;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsConfig;
import io.helidon.webserver.websocket.WsRouting;

import com.hirechat.commands.ChatCommands;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ReadModelQueries;
import com.hirechat.projections.TutorialSends;
import com.hirechat.web.socketio.SocketIoEndpoint;
import com.hirechat.web.socketio.SocketIoSettings;
import com.hirechat.projections.feed.ConversationEventFeed;

/** The Helidon server: {@code /api} (JSON), {@code /ws} (WebSocket) and the browser client at {@code /}. */
public final class ChatServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChatServer.class.getName());
    /** WebSocket close code 1012, "service restart": the client should reconnect (to another node). */
    private static final int CLOSE_SERVICE_RESTART = CloseCode.SERVICE_RESTART.code();
    /** The named listener for operators: {@code /metrics} and health, apart from the public port. */
    private static final String MANAGEMENT = "management";
    /** How often the reaper looks for sockets whose connection is gone (at most). */
    private static final Duration REAPER_LOOK = Duration.ofSeconds(1);

    private final WebServer server;
    private final ChatCommands commands;
    private final OpenSockets sockets;
    private final AtomicBoolean draining;
    private final InboxHub inbox;
    /** Releases the sockets of clients that vanished without a close frame (Helidon tells the listener nothing). */
    private final ScheduledExecutorService reaper;
    /** The tutorial's Socket.IO endpoint (docs/migrating-from-the-tutorial.md). */
    private final SocketIoEndpoint socketIo;

    private ChatServer(WebServer server, ChatCommands commands, OpenSockets sockets, AtomicBoolean draining,
                       InboxHub inbox, ScheduledExecutorService reaper, SocketIoEndpoint socketIo) {
        this.socketIo = socketIo;
        this.reaper = reaper;
        this.server = server;
        this.inbox = inbox;
        this.commands = commands;
        this.sockets = sockets;
        this.draining = draining;
    }

    /** Starts listening; returns once the port is bound. */
    public static ChatServer start(ServerSettings settings, TokenService tokens, ChatCommands commands,
                                   ReadModelQueries queries, ConversationEventFeed feed, TypingRelay typing,
                                   ComplianceAccessLog accessLog, Operations operations, UserErasures erasures,
                                   ComplianceControls controls, Notifications notifications,
                                   TutorialSends tutorialSends, TutorialTextHash tutorialTextHash,
                                   Attachments attachments) {
        var authenticator = new Authenticator(tokens);
        var hub = new RoomHub(feed);
        var metrics = new ChatMetrics(operations.registry(), hub::subscriptionCount);
        var sockets = new OpenSockets();
        var draining = new AtomicBoolean();
        var inbox = new InboxHub(queries::currentConversations);
        hub.start(inbox::offer);
        typing.onTyping(hub::typing);
        if (settings.devLogin()) {
            DemoJobBoard.registerRecruiters(commands, notifications);
        }
        var rateLimiter = new RateLimiter(settings.messagesPerSecond(), settings.messageBurst());
        var connectionLimiter = new ConnectionLimiter(settings.maxConnectionsPerUser());
        var api = new ApiRoutes(authenticator, tokens, commands, queries, rateLimiter, settings.devLogin(),
                notifications, attachments);
        var notificationRoutes = new NotificationRoutes(authenticator, notifications);
        var doubleSend = new TutorialDoubleSend(tutorialSends, tutorialTextHash);
        var tutorial = new TutorialRoutes(authenticator, commands, queries, rateLimiter, doubleSend);
        var socketIo = new SocketIoEndpoint(new SocketIoChat(authenticator, commands, queries, feed, hub, rateLimiter,
                connectionLimiter, settings, doubleSend), new SocketIoSettings(SocketIoSettings.DEFAULT_PING_INTERVAL,
                SocketIoSettings.DEFAULT_PING_TIMEOUT, settings.maxFrameBytes(), settings.maxFrameChars(),
                settings.outboxCapacity()));
        var builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // Helidon's own JVM hook would stop the listeners on SIGTERM while the drain still waits for
                // in-flight sends, dropping acks for messages that get stored; Main's hook stops it after the drain
                .shutdownHook(false)
                // uploads stream up to the attachment limit (JSON bodies are bounded by ApiRoutes.body); past twice
                // that, Helidon refuses before routing (payload_too_large)
                .maxPayloadSize(Math.max(settings.maxFrameChars() * 4L, 2 * attachments.policy().maxBytes()))
                // chat frames are small and come in bursts: without this, Nagle's algorithm and the peer's
                // delayed ACK hold every second frame back by ~40 ms
                .connectionOptions(options -> options.tcpNoDelay(true))
                .directHandlers(jsonErrors())
                // counts inbound traffic only: listening clients stay connected by sending pings
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheckPeriod(settings.idleTimeout()))
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(settings.maxFrameBytes()).build())
                .routing(routing -> routing(routing, api, tutorial, socketIo, new ComplianceRoutes(authenticator, feed,
                        accessLog, erasures, controls, queries.complianceSearch(),
                        attachments.store()),
                        new HealthRoutes(operations, draining::get, settings.metricsOnPublicPort()), metrics, notificationRoutes))
                .addRouting(WsRouting.builder()
                        .endpoint(SocketIoEndpoint.PATH, socketIo::webSocket)
                        .endpoint("/ws", () -> new ChatSocket(authenticator, commands, queries, hub, inbox, typing,
                                rateLimiter, connectionLimiter, settings, metrics, sockets, attachments.uploads())));
        settings.management().ifPresent(management -> builder
                .putSocket(MANAGEMENT, socket -> socket.host(management.host()).port(management.port()))
                .routing(MANAGEMENT, routing -> routing.register("/",
                        new HealthRoutes(operations, draining::get, true))));
        var server = builder.build().start();
        var reaper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ws-reaper").factory());
        var period = idleCheckPeriod(settings.idleTimeout());
        // Helidon has dropped a connection silent for the idle timeout by its next idle check: two checks later, it is
        // gone whether or not the listener heard of it. A closed socket is noticed at the next look, within a second.
        var silence = settings.idleTimeout().plus(period.multipliedBy(2));
        var look = period.compareTo(REAPER_LOOK) < 0 ? period : REAPER_LOOK;
        reaper.scheduleAtFixedRate(() -> sockets.releaseGone(silence, System.nanoTime()),
                look.toMillis(), look.toMillis(), TimeUnit.MILLISECONDS);
        return new ChatServer(server, commands, sockets, draining, inbox, reaper, socketIo);
    }

    private static DirectHandlers jsonErrors() {
        var handler = new JsonDirectHandler();
        var builder = DirectHandlers.builder();
        for (var type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }

    private static Duration idleCheckPeriod(Duration idleTimeout) {
        var tenth = idleTimeout.dividedBy(10);
        return tenth.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : tenth;
    }

    private static void routing(HttpRouting.Builder routing, ApiRoutes api, TutorialRoutes tutorial,
                                SocketIoEndpoint socketIo, ComplianceRoutes compliance,
                                HealthRoutes health, ChatMetrics metrics, NotificationRoutes notifications) {
        routing.error(Throwable.class, (request, response, failure) -> {
            if (response.isSent()) {
                return;
            }
            if (failure instanceof HttpException http && http.status().code() < 400) {
                // e.g. 304 Not Modified from the static files: not an error at all
                response.status(http.status()).send();
                return;
            }
            var error = Failures.describe(failure);
            metrics.rejected(error.code());
            ApiRoutes.error(response, error);
        });
        routing.any("/api/*", (request, response) -> {
            response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            // the server admits bodies up to twice the attachment limit for uploads; every other route keeps the
            // JSON limit, refused on the announced length before anything else (as Helidon did for all of them),
            // and the connection is closed rather than drained
            var length = request.headers().contentLength();
            if (length.isPresent() && length.getAsLong() > ApiRoutes.MAX_BODY_BYTES && !isUpload(request)) {
                // Connection: close also tells Helidon not to drain a body nobody will read
                response.header(io.helidon.http.HeaderValues.CONNECTION_CLOSE);
                ApiRoutes.error(response, new ApiException(413, "payload_too_large",
                        "a request body has at most " + ApiRoutes.MAX_BODY_BYTES + " bytes"));
                return;
            }
            response.next();
        });
        routing.register("/api/compliance", compliance);
        // before /api's catch-all: the tutorial's routes (POST/GET /api/messages, GET /api/chat/contacts)
        routing.register("/api", tutorial);
        routing.register(SocketIoEndpoint.PATH, socketIo);
        routing.register("/api/me/preferences", notifications.preferences());
        routing.register("/", notifications.pages());
        routing.register("/api", api);
        routing.register("/", health);
        // the tutorial's deep link (/chat?id=…&name=…&role=…): the client reads the query itself, so no redirect
        routing.get("/chat", (request, response) -> page("web/index.html", response));
        // the compliance console (docs/compliance.md#console): its APIs require the compliance role, not the page
        routing.get("/compliance", (request, response) -> page("web/compliance.html", response));
        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("web")
                .welcome("index.html")
                .build()));
    }

    private static boolean isUpload(io.helidon.webserver.http.ServerRequest request) {
        return request.prologue().method().equals(io.helidon.http.Method.POST)
                && UPLOAD_PATH.matcher(request.path().path()).matches();
    }

    private static final java.util.regex.Pattern UPLOAD_PATH =
            java.util.regex.Pattern.compile("/api/conversations/[^/]+/attachments/?");

    private static void page(String resource, io.helidon.webserver.http.ServerResponse response)
            throws java.io.IOException {
        try (var page = ChatServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (page == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            response.header(io.helidon.http.HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"));
            response.header(HeaderNames.CACHE_CONTROL, "no-cache");
            response.send(page.readAllBytes());
        }
    }

    public int port() {
        return server.port();
    }

    /** The management listener's port, when there is one. */
    public java.util.OptionalInt managementPort() {
        // Helidon answers -1 for a socket it does not have
        var port = server.port(MANAGEMENT);
        return port > 0 ? java.util.OptionalInt.of(port) : java.util.OptionalInt.empty();
    }

    /**
     * The first half of a graceful stop: readiness goes down, new commands are refused, running ones finish
     * (acks included), then every client is told to reconnect elsewhere. Bounded by {@code patience}.
     * The server still answers health checks until {@link #close()}.
     */
    public void drain(Duration patience) {
        draining.set(true);
        var started = System.nanoTime();
        var finished = commands.drain(patience);
        LOG.info(() -> "draining: in-flight commands " + (finished ? "finished" : "did not finish in time")
                + "; closing " + sockets.size() + " WebSocket(s)");
        // also those upgraded but not open yet, and those that upgrade from now until the server stops
        sockets.closeAll(CLOSE_SERVICE_RESTART);
        socketIo.closeAll();
        var left = patience.minusNanos(System.nanoTime() - started);
        awaitSocketsClosed(left.isNegative() ? Duration.ZERO : left);
    }

    private void awaitSocketsClosed(Duration patience) {
        var deadline = System.nanoTime() + Math.min(patience.toNanos(), Duration.ofSeconds(2).toNanos());
        while (!sockets.isEmpty() && System.nanoTime() < deadline) {
            // each socket is released by its own close; there is nothing to wait on but the set
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        socketIo.close();
        server.stop();
        inbox.close();
    }
}
