package com.hirechat.web;

import java.net.URI;
import java.time.Duration;

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
import com.hirechat.projections.ConversationEventFeed;
import com.hirechat.projections.ReadModelQueries;

/** The Helidon server: {@code /api} (JSON), {@code /ws} (WebSocket) and the browser client at {@code /}. */
public final class ChatServer implements AutoCloseable {

    private final WebServer server;

    private ChatServer(WebServer server) {
        this.server = server;
    }

    /** Starts listening; returns once the port is bound. */
    public static ChatServer start(ServerSettings settings, TokenService tokens, ChatCommands commands,
                                   ReadModelQueries queries, ConversationEventFeed feed, TypingRelay typing) {
        var authenticator = new Authenticator(tokens);
        var hub = new RoomHub(feed);
        hub.start();
        typing.onTyping(hub::typing);
        var rateLimiter = new RateLimiter(settings.messagesPerSecond(), settings.messageBurst());
        var connectionLimiter = new ConnectionLimiter(settings.maxConnectionsPerUser());
        var api = new ApiRoutes(authenticator, tokens, commands, queries, rateLimiter, settings.devLogin());
        var server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .maxPayloadSize(settings.maxFrameChars() * 4L)
                // chat frames are small and come in bursts: without this, Nagle's algorithm and the peer's
                // delayed ACK hold every second frame back by ~40 ms
                .connectionOptions(options -> options.tcpNoDelay(true))
                .directHandlers(jsonErrors())
                // counts inbound traffic only: listening clients stay connected by sending pings
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(idleCheckPeriod(settings.idleTimeout()))
                .addProtocol(WsConfig.builder().name("websocket").maxFrameLength(settings.maxFrameChars() * 4).build())
                .routing(routing -> routing(routing, api))
                .addRouting(WsRouting.builder()
                        .endpoint("/ws", () -> new ChatSocket(authenticator, commands, queries, hub, typing,
                                rateLimiter, connectionLimiter, settings)))
                .build()
                .start();
        return new ChatServer(server);
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

    private static void routing(HttpRouting.Builder routing, ApiRoutes api) {
        routing.error(Throwable.class, (request, response, failure) -> {
            if (response.isSent()) {
                return;
            }
            if (failure instanceof HttpException http && http.status().code() < 400) {
                // e.g. 304 Not Modified from the static files: not an error at all
                response.status(http.status()).send();
                return;
            }
            ApiRoutes.error(response, Failures.describe(failure));
        });
        routing.any("/api/*", (request, response) -> {
            response.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            response.next();
        });
        routing.register("/api", api);
        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location("web")
                .welcome("index.html")
                .build()));
    }

    public int port() {
        return server.port();
    }

    public URI uri(String host) {
        return URI.create("http://" + host + ":" + server.port() + "/");
    }

    @Override
    public void close() {
        server.stop();
    }
}
