package com.hirechat.infra;

import java.net.URI;
import java.time.Duration;
import java.util.logging.Logger;

import com.hirechat.web.ChatServer;
import com.hirechat.web.ServerSettings;
import com.hirechat.web.TokenService;

/** The whole product in one process: database, write side, projections, web server. */
public final class ChatApplication implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ChatApplication.class.getName());

    private final Database database;
    private final AxonWiring axon;
    private final ChatServer server;
    private final ServedAddress address;

    private ChatApplication(Database database, AxonWiring axon, ChatServer server, ServedAddress address) {
        this.database = database;
        this.axon = axon;
        this.server = server;
        this.address = address;
    }

    public static ChatApplication start(AppConfig config) {
        var tokens = tokens(config);
        if (config.devLogin()) {
            LOG.warning("DEVELOPMENT LOGIN IS ON: anyone can sign in as any user. Set HIRECHAT_DEV_LOGIN=false "
                    + "and HIRECHAT_TOKEN_SECRET for real use.");
        }
        var database = Database.open(config);
        AxonWiring axon = null;
        try {
            var observability = new Observability();
            database.reportPoolTo(observability.connectionPool());
            axon = AxonWiring.start(database.dataSource(), config.eventStore(), observability);
            var settings = new ServerSettings(config.host(), config.port(), config.devLogin(),
                    ServerSettings.DEFAULT_MAX_FRAME_CHARS, config.outboxCapacity(), config.idleTimeout(),
                    config.allowedOrigins(), config.messagesPerSecond(), config.messageBurst(),
                    config.maxConnectionsPerUser());
            var server = ChatServer.start(settings, tokens, axon.commands(), axon.queries(), axon.feed(), axon.typing(),
                    axon.accessLog(), axon.operations());
            var address = ServedAddress.of(config.host(), server.port());
            LOG.info(() -> "listening on " + address.listening() + "; database "
                    + (config.jdbc().isPresent() ? "external" : "embedded in " + config.dataDir())
                    + "; development login " + (config.devLogin() ? "ON" : "off")
                    + "; allowed origins " + (config.allowedOrigins().isEmpty() ? "this server only"
                        : String.join(", ", config.allowedOrigins())));
            return new ChatApplication(database, axon, server, address);
        } catch (RuntimeException e) {
            if (axon != null) {
                axon.close();
            }
            database.close();
            throw e;
        }
    }

    private static TokenService tokens(AppConfig config) {
        if (config.tokenPublicKey().isPresent()) {
            var key = config.tokenPublicKey().get();
            return config.devLogin()
                    ? TokenService.publicKeyAndDevelopmentSecret(key, TokenService.randomSecret())
                    : TokenService.publicKey(key);
        }
        return config.tokenSecret().map(TokenService::hmac).orElseGet(TokenService::withRandomSecret);
    }

    /** Where a client on this machine reaches the server (the loopback address when it listens on every interface). */
    public URI uri() {
        return address.uri();
    }

    /** The address listened on, as bound. */
    ServedAddress address() {
        return address;
    }

    public int port() {
        return server.port();
    }

    /** The application's pool, for tests that inspect what was stored. */
    javax.sql.DataSource dataSource() {
        return database.dataSource();
    }

    /**
     * Stops gracefully, within about {@code patience}: readiness down, in-flight commands finished and answered,
     * clients told to reconnect elsewhere, event processors stopped, database closed.
     */
    public void shutdown(Duration patience) {
        LOG.info("shutting down");
        drain(patience);
        close();
        LOG.info("stopped");
    }

    /** Readiness down, commands refused and finished, clients told to go; still answering health checks. */
    void drain(Duration patience) {
        server.drain(patience);
    }

    @Override
    public void close() {
        server.close();
        axon.close();
        database.close();
    }
}
