package com.hirechat.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.hirechat.projections.TestDatabase;

/** Starts the real application for tests: on a fresh database of the shared embedded PostgreSQL, or on its own data directory. */
final class TestServers {

    /** Shared by every node of a test, so a token minted by one is accepted by all. */
    private static final String TOKEN_SECRET = "test-secret-test-secret-test-secret!";

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
        env.put("HIRECHAT_DEV_LOGIN", "true");
        env.put("HIRECHAT_TOKEN_SECRET", TOKEN_SECRET);
        env.putAll(settings);
        return ChatApplication.start(AppConfig.from(env));
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
        return ChatApplication.start(AppConfig.from(Map.of(
                "HIRECHAT_PORT", "0",
                "HIRECHAT_DATA_DIR", dataDir.toString())));
    }
}
