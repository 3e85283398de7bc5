package com.hirechat.infra;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.hirechat.web.ServerSettings;

/**
 * Settings from environment variables (see docs/configuration.md). Every invalid value stops start-up
 * with a {@link ConfigException} naming its variable.
 *
 * @param host          interface to bind
 * @param port          HTTP port; 0 picks a free one
 * @param dataDir       where the embedded PostgreSQL keeps its files when no JDBC URL is given
 * @param jdbc          an external PostgreSQL, when configured
 * @param devLogin      whether anyone may log in as any user name (development only)
 * @param tokenSecret   HS256 secret of the host site's tokens; random when absent and dev login is on
 * @param idleTimeout   connections silent for this long are closed
 * @param outboxCapacity frames queued for one WebSocket client before it is disconnected as too slow
 */
public record AppConfig(String host, int port, Path dataDir, Optional<Jdbc> jdbc, boolean devLogin,
                        Optional<byte[]> tokenSecret, Duration idleTimeout, int outboxCapacity) {

    /** An external database. */
    public record Jdbc(String url, String user, String password) {
    }

    public static AppConfig fromEnvironment() {
        return from(System.getenv());
    }

    static AppConfig from(Map<String, String> env) {
        var jdbc = value(env, "HIRECHAT_JDBC_URL").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("HIRECHAT_JDBC_URL", "must be a jdbc:postgresql: URL");
            }
            return new Jdbc(url, value(env, "HIRECHAT_JDBC_USER").orElse(null),
                    value(env, "HIRECHAT_JDBC_PASSWORD").orElse(null));
        });
        var devLogin = value(env, "HIRECHAT_DEV_LOGIN").map(text -> bool("HIRECHAT_DEV_LOGIN", text))
                .orElse(jdbc.isEmpty());
        var secret = value(env, "HIRECHAT_TOKEN_SECRET").map(text -> {
            var bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < 32) {
                throw new ConfigException("HIRECHAT_TOKEN_SECRET", "must be at least 32 bytes");
            }
            return bytes;
        });
        if (!devLogin && secret.isEmpty()) {
            throw new ConfigException("HIRECHAT_TOKEN_SECRET", "is required when HIRECHAT_DEV_LOGIN is off");
        }
        return new AppConfig(
                value(env, "HIRECHAT_HOST").orElse("127.0.0.1"),
                value(env, "HIRECHAT_PORT").map(text -> port("HIRECHAT_PORT", text)).orElse(8080),
                Path.of(value(env, "HIRECHAT_DATA_DIR").orElse("data")).toAbsolutePath(),
                jdbc, devLogin, secret,
                value(env, "HIRECHAT_IDLE_TIMEOUT_SECONDS")
                        .map(text -> Duration.ofSeconds(positive("HIRECHAT_IDLE_TIMEOUT_SECONDS", text)))
                        .orElse(ServerSettings.DEFAULT_IDLE_TIMEOUT),
                value(env, "HIRECHAT_OUTBOX_FRAMES").map(text -> positive("HIRECHAT_OUTBOX_FRAMES", text))
                        .orElse(ServerSettings.DEFAULT_OUTBOX_CAPACITY));
    }

    private static Optional<String> value(Map<String, String> env, String key) {
        return Optional.ofNullable(env.get(key)).map(String::strip).filter(text -> !text.isEmpty());
    }

    private static int port(String key, String text) {
        try {
            var port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "must be a port number 0-65535, was '" + text + "'");
    }

    private static int positive(String key, String text) {
        try {
            var value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(key, "must be a positive whole number, was '" + text + "'");
    }

    private static boolean bool(String key, String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(key, "must be true or false, was '" + text + "'");
        };
    }
}
