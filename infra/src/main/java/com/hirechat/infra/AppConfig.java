package com.hirechat.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.RuntimeFallback;
import com.hirechat.web.ServerSettings;
import com.hirechat.web.TokenService;

/**
 * Settings from environment variables (see docs/configuration.md). Every invalid value stops start-up
 * with a {@link ConfigException} naming its variable.
 *
 * @param host          interface to bind
 * @param port          HTTP port; 0 picks a free one
 * @param dataDir       where the embedded PostgreSQL keeps its files when no JDBC URL is given
 * @param jdbc          an external PostgreSQL, when configured
 * @param devLogin      whether anyone may log in as any user name (the local development run only)
 * @param tokenSecret   HS256 secret of the host site's tokens
 * @param tokenPublicKey RSA (RS256) or EC P-256 (ES256) public key of the host site's tokens
 * @param idleTimeout   connections silent for this long are closed
 * @param outboxCapacity frames queued for one WebSocket client before it is disconnected as too slow
 * @param allowedOrigins origins whose pages may open WebSockets; empty: this server's own pages only
 * @param messagesPerSecond writes per user per second
 * @param messageBurst  writes a user may make at once
 * @param maxConnectionsPerUser WebSockets per user per node
 * @param eventStore    where events, commands and queries go: PostgreSQL (JDBC) or Axon Server
 * @param production    a production node: stricter requirements, nothing for operators on the public port
 * @param tokenIssuance the issuer and audience tokens must carry (required in production)
 * @param management    the separate port for {@code /metrics} and health, when configured
 * @param unsafeFastDisk the embedded PostgreSQL without fsync, synchronous commits and full page writes: faster,
 *                      and an acknowledged message can be lost in a crash (an explicit opt-in of the local run)
 * @param commandQueue  commands waiting for one command thread (PostgreSQL mode) before more are refused as
 *                      {@code unavailable}
 * @param masterKey     the key that wraps every data key (32 bytes); required in production, otherwise made once in
 *                      the data directory when absent ({@code MasterKeyFile})
 * @param previousMasterKey the master key being rotated away from, while {@code rotate-master-key} re-wraps
 * @param retention     how long inactive conversations are kept (off unless configured)
 * @param notifications email digests: where mail goes, the default delay, what a digest says
 * @param attachments   the largest file, the per-user quota and the accepted types of attachments
 */
public record AppConfig(String host, int port, Path dataDir, Optional<Jdbc> jdbc, boolean devLogin,
                        Optional<byte[]> tokenSecret, Optional<PublicKey> tokenPublicKey, Duration idleTimeout,
                        int outboxCapacity, Set<String> allowedOrigins, double messagesPerSecond, int messageBurst,
                        int maxConnectionsPerUser, EventStoreMode eventStore, boolean production,
                        TokenService.Issuance tokenIssuance, Optional<ServerSettings.Management> management,
                        boolean unsafeFastDisk, int commandQueue, Optional<byte[]> masterKey,
                        Optional<byte[]> previousMasterKey, com.hirechat.infra.retention.RetentionPolicy retention,
                        com.hirechat.infra.notify.NotifyConfig notifications,

                        com.hirechat.web.AttachmentPolicy attachments) {

    /** A host name or IPv4 address, then an optional port: what the connector can parse (it splits on ':'). */
    private static final Pattern HOST_AND_PORT =
            Pattern.compile("([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::([0-9]{1,5}))?");

    /** An external database. */
    public record Jdbc(String url, String user, String password) {
    }

    /** Whether {@code /metrics} is served on the public port: only outside production and without a management port. */
    public boolean metricsOnPublicPort() {
        return !production && management.isEmpty();
    }

    /** The environment variables, over the optional YAML file (see {@link ConfigFile}). */
    public static AppConfig fromEnvironment() {
        return ConfigFile.load(System.getenv());
    }

    static AppConfig from(Map<String, String> env) {
        var jdbc = value(env, "HIRECHAT_JDBC_URL").map(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                throw new ConfigException("HIRECHAT_JDBC_URL", "must be a jdbc:postgresql: URL");
            }
            return new Jdbc(url, value(env, "HIRECHAT_JDBC_USER").orElse(null),
                    value(env, "HIRECHAT_JDBC_PASSWORD").orElse(null));
        });
        var production = value(env, "HIRECHAT_PRODUCTION").map(text -> bool("HIRECHAT_PRODUCTION", text)).orElse(false);
        var localRun = !production && jdbc.isEmpty();
        var devLogin = value(env, "HIRECHAT_DEV_LOGIN").map(text -> bool("HIRECHAT_DEV_LOGIN", text)).orElse(localRun);
        if (devLogin && !localRun) {
            throw new ConfigException("HIRECHAT_DEV_LOGIN",
                    "can only be on for the local run, not with HIRECHAT_PRODUCTION or HIRECHAT_JDBC_URL");
        }
        var unsafeFastDisk = value(env, "HIRECHAT_UNSAFE_FAST_DISK")
                .map(text -> bool("HIRECHAT_UNSAFE_FAST_DISK", text)).orElse(false);
        if (unsafeFastDisk && !localRun) {
            throw new ConfigException("HIRECHAT_UNSAFE_FAST_DISK",
                    "can only be on for the local run's embedded PostgreSQL, not with HIRECHAT_PRODUCTION or HIRECHAT_JDBC_URL");
        }
        var secret = value(env, "HIRECHAT_TOKEN_SECRET").map(text -> {
            var bytes = text.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < TokenService.MIN_SECRET_BYTES) {
                throw new ConfigException("HIRECHAT_TOKEN_SECRET",
                        "must be at least " + TokenService.MIN_SECRET_BYTES + " bytes");
            }
            return bytes;
        });
        var publicKey = publicKey(env);
        if (secret.isPresent() && publicKey.isPresent()) {
            throw new ConfigException("HIRECHAT_TOKEN_SECRET", "and a public key cannot both be set: choose one");
        }
        if (!devLogin && secret.isEmpty() && publicKey.isEmpty()) {
            throw new ConfigException("HIRECHAT_TOKEN_SECRET",
                    "(or HIRECHAT_TOKEN_PUBLIC_KEY) is required when HIRECHAT_DEV_LOGIN is off");
        }
        return new AppConfig(
                value(env, "HIRECHAT_HOST").orElse("127.0.0.1"),
                value(env, "HIRECHAT_PORT").map(text -> port("HIRECHAT_PORT", text)).orElse(8080),
                Path.of(value(env, "HIRECHAT_DATA_DIR").orElse("data")).toAbsolutePath(),
                jdbc, devLogin, secret, publicKey,
                value(env, "HIRECHAT_IDLE_TIMEOUT_SECONDS")
                        .map(text -> Duration.ofSeconds(positive("HIRECHAT_IDLE_TIMEOUT_SECONDS", text)))
                        .orElse(ServerSettings.DEFAULT_IDLE_TIMEOUT),
                value(env, "HIRECHAT_OUTBOX_FRAMES").map(text -> positive("HIRECHAT_OUTBOX_FRAMES", text))
                        .orElse(ServerSettings.DEFAULT_OUTBOX_CAPACITY),
                value(env, "HIRECHAT_ALLOWED_ORIGINS").map(AppConfig::origins).orElse(Set.of()),
                value(env, "HIRECHAT_MESSAGES_PER_SECOND")
                        .map(text -> positive("HIRECHAT_MESSAGES_PER_SECOND", text))
                        .map(Integer::doubleValue).orElse(ServerSettings.DEFAULT_MESSAGES_PER_SECOND),
                value(env, "HIRECHAT_MESSAGE_BURST").map(text -> positive("HIRECHAT_MESSAGE_BURST", text))
                        .orElse(ServerSettings.DEFAULT_MESSAGE_BURST),
                value(env, "HIRECHAT_MAX_CONNECTIONS_PER_USER")
                        .map(text -> positive("HIRECHAT_MAX_CONNECTIONS_PER_USER", text))
                        .orElse(ServerSettings.DEFAULT_MAX_CONNECTIONS_PER_USER),
                eventStore(env), production, tokenIssuance(env, production), management(env), unsafeFastDisk,
                value(env, "HIRECHAT_COMMAND_QUEUE").map(text -> positive("HIRECHAT_COMMAND_QUEUE", text))
                        .orElse(AxonWiring.DEFAULT_COMMAND_QUEUE),
                masterKey(env, production), value(env, "HIRECHAT_MASTER_KEY_PREVIOUS")
                        .map(text -> masterKeyBytes("HIRECHAT_MASTER_KEY_PREVIOUS", text)),
                com.hirechat.infra.retention.RetentionPolicy.from(env),
                // mail is captured for /dev/mail only in the development run, where anyone may sign in anyway
                com.hirechat.infra.notify.NotifyConfig.from(env, devLogin),

                com.hirechat.infra.attachments.AttachmentSettings.from(env));
    }

    private static Optional<byte[]> masterKey(Map<String, String> env, boolean production) {
        var key = value(env, "HIRECHAT_MASTER_KEY").map(text -> masterKeyBytes("HIRECHAT_MASTER_KEY", text));
        if (key.isEmpty() && production) {
            throw new ConfigException("HIRECHAT_MASTER_KEY", "is required when HIRECHAT_PRODUCTION is true: "
                    + "32 random bytes in base64, e.g. from 'openssl rand -base64 32'");
        }
        if (key.isEmpty() && value(env, "HIRECHAT_MASTER_KEY_PREVIOUS").isPresent()) {
            throw new ConfigException("HIRECHAT_MASTER_KEY_PREVIOUS", "needs HIRECHAT_MASTER_KEY, the key rotated to");
        }
        return key;
    }

    private static byte[] masterKeyBytes(String key, String text) {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "must be base64 (32 random bytes, e.g. from 'openssl rand -base64 32')");
        }
        if (bytes.length != com.hirechat.infra.crypto.MasterKeys.KEY_BYTES) {
            throw new ConfigException(key, "must be " + com.hirechat.infra.crypto.MasterKeys.KEY_BYTES
                    + " bytes in base64, was " + bytes.length + " bytes");
        }
        return bytes;
    }

    private static Optional<ServerSettings.Management> management(Map<String, String> env) {
        var host = value(env, "HIRECHAT_MANAGEMENT_HOST");
        var port = value(env, "HIRECHAT_MANAGEMENT_PORT").map(text -> port("HIRECHAT_MANAGEMENT_PORT", text));
        if (host.isPresent() && port.isEmpty()) {
            throw new ConfigException("HIRECHAT_MANAGEMENT_HOST", "needs HIRECHAT_MANAGEMENT_PORT as well");
        }
        var publicPort = value(env, "HIRECHAT_PORT").orElse("8080");
        if (port.isPresent() && port.get() != 0 && publicPort.equals(Integer.toString(port.get()))) {
            throw new ConfigException("HIRECHAT_MANAGEMENT_PORT", "must differ from HIRECHAT_PORT (" + publicPort + ")");
        }
        // loopback unless told otherwise: metrics are for the operator's scraper, not for the internet
        return port.map(number -> new ServerSettings.Management(host.orElse("127.0.0.1"), number));
    }

    /** In production both are required: without them a token the host site signed for any other service works here. */
    private static TokenService.Issuance tokenIssuance(Map<String, String> env, boolean production) {
        var issuer = value(env, "HIRECHAT_TOKEN_ISSUER");
        var audience = value(env, "HIRECHAT_TOKEN_AUDIENCE");
        if (production && issuer.isEmpty()) {
            throw new ConfigException("HIRECHAT_TOKEN_ISSUER",
                    "is required when HIRECHAT_PRODUCTION is true: the 'iss' of the host site's tokens");
        }
        if (production && audience.isEmpty()) {
            throw new ConfigException("HIRECHAT_TOKEN_AUDIENCE",
                    "is required when HIRECHAT_PRODUCTION is true: the 'aud' the host site puts in tokens for this chat");
        }
        return new TokenService.Issuance(issuer.orElse(null), audience.orElse(null));
    }

    private static EventStoreMode eventStore(Map<String, String> env) {
        var mode = value(env, "HIRECHAT_EVENT_STORE").orElse("jdbc");
        return switch (mode.toLowerCase(java.util.Locale.ROOT)) {
            case "jdbc" -> new EventStoreMode.Jdbc(value(env, "HIRECHAT_RUNTIME_FALLBACKS").map(AppConfig::fallbacks)
                    .orElse(Set.of()));
            case "axonserver" -> axonServer(env);
            default -> throw new ConfigException("HIRECHAT_EVENT_STORE", "must be jdbc or axonserver, was '" + mode + "'");
        };
    }

    private static EventStoreMode.AxonServer axonServer(Map<String, String> env) {
        if (value(env, "HIRECHAT_RUNTIME_FALLBACKS").filter(text -> !text.isBlank()).isPresent()) {
            // the pieces they switch off are the PostgreSQL event store's; Axon Server mode runs none of them
            throw new ConfigException("HIRECHAT_RUNTIME_FALLBACKS", "applies only with HIRECHAT_EVENT_STORE=jdbc");
        }
        return new EventStoreMode.AxonServer(
                    value(env, "HIRECHAT_AXONSERVER_SERVERS").map(AppConfig::axonServers)
                            .orElseThrow(() -> new ConfigException("HIRECHAT_AXONSERVER_SERVERS",
                                    "is required when HIRECHAT_EVENT_STORE is axonserver, e.g. axonserver:8124")),
                    value(env, "HIRECHAT_AXONSERVER_CONTEXT").map(AppConfig::axonServerContext).orElse("default"),
                    value(env, "HIRECHAT_AXONSERVER_TOKEN"),
                    Duration.ofSeconds(value(env, "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS")
                            .map(text -> positive("HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS", text)).orElse(10)));
    }

    /** Comma-separated names of {@link RuntimeFallback}s, or {@code all}; blank entries are ignored. */
    private static Set<RuntimeFallback> fallbacks(String text) {
        var fallbacks = EnumSet.noneOf(RuntimeFallback.class);
        for (var entry : text.split(",", -1)) {
            var name = entry.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                fallbacks.addAll(EnumSet.allOf(RuntimeFallback.class));
            } else if (!name.isEmpty()) {
                fallbacks.add(RuntimeFallback.named(name).orElseThrow(() -> new ConfigException(
                        "HIRECHAT_RUNTIME_FALLBACKS", "must be a comma-separated list of " + Arrays.stream(
                                RuntimeFallback.values()).map(RuntimeFallback::configName).toList()
                                + " or all, was '" + entry.strip() + "'")));
            }
        }
        return fallbacks;
    }

    /** host[:port],… as the connector reads it, each with its port made explicit; checked here so a typo is not a retry loop. */
    private static List<String> axonServers(String text) {
        var servers = new ArrayList<String>();
        for (var entry : text.split(",", -1)) {
            var server = entry.strip();
            var matcher = HOST_AND_PORT.matcher(server);
            // at most five digits: always fits an int
            var port = !matcher.matches() ? -1
                    : matcher.group(2) == null ? EventStoreMode.AxonServer.DEFAULT_PORT : Integer.parseInt(matcher.group(2));
            if (port < 1 || port > 65535) {
                throw new ConfigException("HIRECHAT_AXONSERVER_SERVERS",
                        "must be a comma-separated list of host or host:port (port 1-65535), was '" + server + "'");
            }
            servers.add(matcher.group(1) + ":" + port);
        }
        return servers;
    }

    private static String axonServerContext(String text) {
        if (!text.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new ConfigException("HIRECHAT_AXONSERVER_CONTEXT",
                    "must be a context name of letters, digits, '_', '.' and '-', was '" + text + "'");
        }
        return text;
    }

    private static Optional<PublicKey> publicKey(Map<String, String> env) {
        var inline = value(env, "HIRECHAT_TOKEN_PUBLIC_KEY");
        var file = value(env, "HIRECHAT_TOKEN_PUBLIC_KEY_FILE");
        if (inline.isPresent()) {
            return Optional.of(PemPublicKeys.parse("HIRECHAT_TOKEN_PUBLIC_KEY", inline.get()));
        }
        return file.map(path -> {
            try {
                return PemPublicKeys.parse("HIRECHAT_TOKEN_PUBLIC_KEY_FILE", Files.readString(Path.of(path)));
            } catch (IOException e) {
                throw new ConfigException("HIRECHAT_TOKEN_PUBLIC_KEY_FILE", "cannot be read: " + e.getMessage());
            }
        });
    }

    private static Set<String> origins(String text) {
        var origins = new LinkedHashSet<String>();
        for (var origin : text.split(",")) {
            var trimmed = origin.strip();
            if (!trimmed.matches("https?://[^/\\s]+")) {
                throw new ConfigException("HIRECHAT_ALLOWED_ORIGINS",
                        "must be a comma-separated list of origins like https://jobs.example.com, was '" + trimmed + "'");
            }
            origins.add(trimmed);
        }
        return origins;
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
