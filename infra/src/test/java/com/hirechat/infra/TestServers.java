package com.hirechat.infra;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.hirechat.domain.UserId;
import com.hirechat.projections.TestDatabase;
import com.hirechat.web.TokenService;

/** Starts the real application for tests: on a fresh database of the shared embedded PostgreSQL, or on its own data directory. */
final class TestServers {

    /** Shared by every node of a test, so a token minted by one is accepted by all. */
    static final String TOKEN_SECRET = "test-secret-test-secret-test-secret!";
    private static final TokenService HOST_SITE = TokenService.hmac(TOKEN_SECRET.getBytes(StandardCharsets.UTF_8));
    private static final Pattern READ_MODEL_LAG =
            Pattern.compile("(?m)^hirechat_projection_lag\\{[^}]*processor=\"read-models\"[^}]*\\} (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestServers() {
    }

    static TestDatabase.Coordinates freshDatabase() {
        return TestDatabase.createDatabase();
    }

    /** The whole application on a new, empty database, on a free port. */
    static ChatApplication onFreshDatabase() {
        return on(freshDatabase(), Map.of());
    }

    /** One node on the given database; several may share it, as behind a load balancer. */
    static ChatApplication on(TestDatabase.Coordinates database, Map<String, String> settings) {
        var env = new HashMap<String, String>();
        env.put("HIRECHAT_PORT", "0");
        env.put("HIRECHAT_JDBC_URL", database.jdbcUrl());
        env.put("HIRECHAT_JDBC_USER", database.user());
        env.put("HIRECHAT_JDBC_PASSWORD", database.password());
        env.put("HIRECHAT_TOKEN_SECRET", TOKEN_SECRET);
        // nodes of one database share it, as production nodes share theirs
        env.put("HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64);
        // most tests drive far more traffic than a person could; the limits have their own tests
        env.put("HIRECHAT_MESSAGES_PER_SECOND", "1000000");
        env.put("HIRECHAT_MESSAGE_BURST", "1000000");
        env.put("HIRECHAT_MAX_CONNECTIONS_PER_USER", "1000");
        env.putAll(StockRuntime.settings());
        env.putAll(settings);
        return ChatApplication.start(AppConfig.from(env));
    }

    /**
     * Waits until the server's read models hold every event in the store (its own lag metric is 0): after a
     * restart they may still be catching up with what the previous process stored.
     */
    static void awaitProjectionsCaughtUp(URI server) {
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var metrics = HTTP.send(HttpRequest.newBuilder(server.resolve("metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            var matcher = READ_MODEL_LAG.matcher(metrics);
            return matcher.find() && Double.parseDouble(matcher.group(1)) == 0;
        });
    }

    /** A port nothing listens on now: a node given it can be stopped and started again at the same address. */
    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole application as the default local run starts it: embedded PostgreSQL in {@code dataDir}. */
    static ChatApplication withEmbeddedDatabaseIn(Path dataDir) {
        return withEmbeddedDatabaseIn(dataDir, Map.of());
    }

    /** As {@link #withEmbeddedDatabaseIn(Path)}, with some settings added or replaced. */
    static ChatApplication withEmbeddedDatabaseIn(Path dataDir, Map<String, String> settings) {
        var env = new HashMap<>(Map.of(
                "HIRECHAT_PORT", "0",
                "HIRECHAT_DATA_DIR", dataDir.toString(),
                "HIRECHAT_TOKEN_SECRET", TOKEN_SECRET,
                "HIRECHAT_MESSAGES_PER_SECOND", "1000000",
                "HIRECHAT_MESSAGE_BURST", "1000000"));
        env.putAll(StockRuntime.settings());
        env.putAll(settings);
        return ChatApplication.start(AppConfig.from(env));
    }

    /**
     * The default local run as {@code serve} starts it, on a given port so it can be restarted at the same address:
     * embedded PostgreSQL in {@code dataDir} and the development login, whose tokens are signed with a random
     * per-process secret and so die with the process. No host-site secret: {@link #token} is not accepted here.
     */
    static ChatApplication localRunIn(Path dataDir, int port) {
        return ChatApplication.start(AppConfig.from(Map.of(
                "HIRECHAT_PORT", Integer.toString(port),
                "HIRECHAT_DATA_DIR", dataDir.toString())));
    }

    /** A token as the host site would sign it for the user, valid on every test server. */
    static String token(String user, String... roles) {
        return HOST_SITE.mint(UserId.of(user), Set.of(roles));
    }
}
