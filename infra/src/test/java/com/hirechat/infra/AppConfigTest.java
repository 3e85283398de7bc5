package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import com.hirechat.infra.eventstore.EventStoreMode;
import com.hirechat.infra.eventstore.RuntimeFallback;

class AppConfigTest {

    @Test
    void defaultsToTheLocalDevelopmentRun() {
        var config = AppConfig.from(Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.jdbc()).isEmpty();
        assertThat(config.devLogin()).isTrue();
        assertThat(config.dataDir().getFileName().toString()).isEqualTo("data");
    }

    @Test
    void theCommandQueueIsBoundedByDefaultAndConfigurableToAPositiveSize() {
        assertThat(AppConfig.from(Map.of()).commandQueue()).isEqualTo(AxonWiring.DEFAULT_COMMAND_QUEUE);
        assertThat(AppConfig.from(Map.of("HIRECHAT_COMMAND_QUEUE", "16")).commandQueue()).isEqualTo(16);
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_COMMAND_QUEUE", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_COMMAND_QUEUE");
    }

    @Test
    void anExternalDatabaseTurnsDevelopmentLoginOffAndThenNeedsASecret() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_JDBC_URL", "jdbc:postgresql://db/chat")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_SECRET");
        var config = AppConfig.from(Map.of("HIRECHAT_JDBC_URL", "jdbc:postgresql://db/chat",
                "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"));
        assertThat(config.devLogin()).isFalse();
        assertThat(config.jdbc()).isPresent();
    }

    @Test
    void developmentLoginIsOnlyForTheLocalRun() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_JDBC_URL", "jdbc:postgresql://db/chat",
                "HIRECHAT_DEV_LOGIN", "true", "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_DEV_LOGIN");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_DEV_LOGIN", "true")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_DEV_LOGIN");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_SECRET");
        assertThat(AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_ISSUER", "https://jobs.example",
                "HIRECHAT_TOKEN_AUDIENCE", "hirechat", "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64,
                "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")).devLogin()).isFalse();
    }

    @Test
    void productionRequiresTheTokensIssuerAndAudience() {
        var secret = "0123456789abcdef0123456789abcdef";
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_SECRET", secret,
                "HIRECHAT_TOKEN_AUDIENCE", "hirechat")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_ISSUER is required");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_SECRET", secret,
                "HIRECHAT_TOKEN_ISSUER", "https://jobs.example")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_AUDIENCE is required");
        var production = AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_SECRET", secret,
                "HIRECHAT_TOKEN_ISSUER", "https://jobs.example", "HIRECHAT_TOKEN_AUDIENCE", "hirechat",
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64));
        assertThat(production.tokenIssuance()).isEqualTo(
                new com.hirechat.web.TokenService.Issuance("https://jobs.example", "hirechat"));
        // outside production they are optional, and checked when given
        assertThat(AppConfig.from(Map.of()).tokenIssuance()).isEqualTo(com.hirechat.web.TokenService.Issuance.ANY);
        assertThat(AppConfig.from(Map.of("HIRECHAT_TOKEN_AUDIENCE", "hirechat")).tokenIssuance().audience())
                .isEqualTo("hirechat");
    }

    @Test
    void productionWithoutAnIssuerStopsStartUpWithOneLineNamingIt() throws Exception {
        var javaBinary = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve");
        process.environment().put("HIRECHAT_PRODUCTION", "true");
        process.environment().put("HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
        var running = process.redirectErrorStream(true).start();
        var output = new String(running.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(running.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(running.exitValue()).isEqualTo(2);
        assertThat(output.strip()).isEqualTo("configuration error: HIRECHAT_TOKEN_ISSUER is required when "
                + "HIRECHAT_PRODUCTION is true: the 'iss' of the host site's tokens");
    }

    @Test
    void productionWithoutAMasterKeyStopsStartUpWithOneLineNamingIt() throws Exception {
        var javaBinary = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve");
        process.environment().put("HIRECHAT_PRODUCTION", "true");
        process.environment().put("HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef");
        process.environment().put("HIRECHAT_TOKEN_ISSUER", "https://jobs.example");
        process.environment().put("HIRECHAT_TOKEN_AUDIENCE", "hirechat");
        process.environment().remove("HIRECHAT_MASTER_KEY");
        var running = process.redirectErrorStream(true).start();
        var output = new String(running.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(running.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(running.exitValue()).isEqualTo(2);
        assertThat(output.strip()).isEqualTo("configuration error: HIRECHAT_MASTER_KEY is required when "
                + "HIRECHAT_PRODUCTION is true: 32 random bytes in base64, e.g. from 'openssl rand -base64 32'");
    }

    @Test
    void masterKeysAre32BytesOfBase64AndThePreviousNeedsACurrentOne() {
        var config = AppConfig.from(Map.of("HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64,
                "HIRECHAT_MASTER_KEY_PREVIOUS", TestKeys.OTHER_BASE64));
        assertThat(config.masterKey()).hasValueSatisfying(key -> assertThat(key).isEqualTo(TestKeys.MASTER));
        assertThat(config.previousMasterKey()).hasValueSatisfying(key -> assertThat(key).isEqualTo(TestKeys.OTHER));
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MASTER_KEY", "not base64!")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_MASTER_KEY must be base64");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MASTER_KEY", "c2hvcnQ=")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HIRECHAT_MASTER_KEY must be 32 bytes in base64, was 5 bytes");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MASTER_KEY_PREVIOUS", TestKeys.OTHER_BASE64)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HIRECHAT_MASTER_KEY_PREVIOUS needs HIRECHAT_MASTER_KEY");
        assertThat(AppConfig.from(Map.of()).masterKey()).as("outside production the data directory holds one").isEmpty();
    }

    @Test
    void metricsLeaveThePublicPortInProductionOrWithAManagementPort() {
        var local = AppConfig.from(Map.of());
        assertThat(local.management()).isEmpty();
        assertThat(local.metricsOnPublicPort()).isTrue();

        var separate = AppConfig.from(Map.of("HIRECHAT_MANAGEMENT_PORT", "9464"));
        assertThat(separate.management()).contains(new com.hirechat.web.ServerSettings.Management("127.0.0.1", 9464));
        assertThat(separate.metricsOnPublicPort()).isFalse();
        assertThat(AppConfig.from(Map.of("HIRECHAT_MANAGEMENT_PORT", "9464", "HIRECHAT_MANAGEMENT_HOST", "10.0.0.5"))
                .management()).contains(new com.hirechat.web.ServerSettings.Management("10.0.0.5", 9464));

        assertThat(AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_ISSUER", "https://jobs.example",
                "HIRECHAT_TOKEN_AUDIENCE", "hirechat", "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef",
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64)).metricsOnPublicPort()).isFalse();

        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MANAGEMENT_PORT", "metrics")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_MANAGEMENT_PORT");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MANAGEMENT_PORT", "8080")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_MANAGEMENT_PORT must differ");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MANAGEMENT_HOST", "0.0.0.0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_MANAGEMENT_HOST");
    }

    @Test
    void unsafeFastDiskIsOffUnlessAskedForAndOnlyForTheLocalRun() {
        assertThat(AppConfig.from(Map.of()).unsafeFastDisk()).isFalse();
        assertThat(AppConfig.from(Map.of("HIRECHAT_UNSAFE_FAST_DISK", "true")).unsafeFastDisk()).isTrue();
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_UNSAFE_FAST_DISK", "fast")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_UNSAFE_FAST_DISK");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_JDBC_URL", "jdbc:postgresql://db/chat",
                "HIRECHAT_UNSAFE_FAST_DISK", "true", "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_UNSAFE_FAST_DISK");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true",
                "HIRECHAT_UNSAFE_FAST_DISK", "true", "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_UNSAFE_FAST_DISK");
    }

    @Test
    void aPublicKeyOrASecretButNotBoth() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        var config = AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_PUBLIC_KEY", pem,
                "HIRECHAT_TOKEN_ISSUER", "https://jobs.example", "HIRECHAT_TOKEN_AUDIENCE", "hirechat",
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64));
        assertThat(config.tokenPublicKey()).isPresent();
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true",
                "HIRECHAT_TOKEN_PUBLIC_KEY", pem, "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_SECRET");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_TOKEN_PUBLIC_KEY", "not a key")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_PUBLIC_KEY");
    }

    @Test
    void aYamlFileProvidesSettingsAndTheEnvironmentWins(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        var file = dir.resolve("hirechat.yaml");
        java.nio.file.Files.writeString(file, """
                hirechat:
                  port: 9090
                  host: 0.0.0.0
                  jdbc:
                    url: jdbc:postgresql://db.internal/chat
                  token-secret: 0123456789abcdef0123456789abcdef
                  allowed-origins:
                    - https://jobs.example
                    - https://www.jobs.example
                """);
        var config = ConfigFile.load(Map.of("HIRECHAT_CONFIG_FILE", file.toString(), "HIRECHAT_PORT", "7070"));
        assertThat(config.port()).isEqualTo(7070);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.jdbc()).hasValueSatisfying(jdbc -> assertThat(jdbc.url()).endsWith("db.internal/chat"));
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://jobs.example", "https://www.jobs.example");
        assertThat(config.devLogin()).isFalse();

        java.nio.file.Files.writeString(file, "hirechat:\n  prot: 9090\n");
        assertThatThrownBy(() -> ConfigFile.load(Map.of("HIRECHAT_CONFIG_FILE", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_CONFIG_FILE")
                .hasMessageContaining("hirechat.prot");
        java.nio.file.Files.writeString(file, "hirechat:\n  port: [unclosed\n");
        assertThatThrownBy(() -> ConfigFile.load(Map.of("HIRECHAT_CONFIG_FILE", file.toString())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_CONFIG_FILE");
        assertThatThrownBy(() -> ConfigFile.load(Map.of("HIRECHAT_CONFIG_FILE", dir.resolve("missing.yaml").toString())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_CONFIG_FILE");
    }

    @Test
    void theServerRefusesToStartOnABadValueWithOneLineNamingIt() throws Exception {
        var javaBinary = ProcessHandle.current().info().command().orElseThrow();
        var process = new ProcessBuilder(javaBinary, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve");
        process.environment().put("HIRECHAT_PORT", "eighty");
        var running = process.redirectErrorStream(true).start();
        var output = new String(running.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(running.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        assertThat(running.exitValue()).isEqualTo(2);
        assertThat(output.strip()).isEqualTo("configuration error: HIRECHAT_PORT must be a port number 0-65535, "
                + "was 'eighty'");
    }

    @Test
    void invalidValuesNameTheirVariable() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_ALLOWED_ORIGINS", "https://ok.example, *")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_ALLOWED_ORIGINS");
        assertThat(AppConfig.from(Map.of("HIRECHAT_ALLOWED_ORIGINS", "https://jobs.example, http://localhost:3000"))
                .allowedOrigins()).containsExactlyInAnyOrder("https://jobs.example", "http://localhost:3000");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_MESSAGES_PER_SECOND", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_MESSAGES_PER_SECOND");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PORT", "eighty")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_PORT");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_PORT", "70000")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_PORT");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_DEV_LOGIN", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_DEV_LOGIN");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_JDBC_URL", "mysql://x")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_JDBC_URL");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_TOKEN_SECRET", "short")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_TOKEN_SECRET");
    }

    @Test
    void eventsStayInPostgresUnlessAxonServerIsChosen() {
        assertThat(AppConfig.from(Map.of()).eventStore()).isEqualTo(new EventStoreMode.Jdbc());
        assertThat(AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "JDBC")).eventStore()).isEqualTo(new EventStoreMode.Jdbc());
        // the servers variable alone does not switch modes: the mode is always an explicit choice
        assertThat(AppConfig.from(Map.of("HIRECHAT_AXONSERVER_SERVERS", "axonserver")).eventStore())
                .isEqualTo(new EventStoreMode.Jdbc());
    }

    @Test
    void runtimeFallbacksAreNamedOneByOneOrAllAndUnknownNamesStopStartUp() {
        assertThat(((EventStoreMode.Jdbc) AppConfig.from(Map.of()).eventStore()).fallbacks())
                .as("production runs every custom piece").isEmpty();
        assertThat(AppConfig.from(Map.of("HIRECHAT_RUNTIME_FALLBACKS", " group-commit, Polled-Source,")).eventStore())
                .isEqualTo(new EventStoreMode.Jdbc(Set.of(RuntimeFallback.GROUP_COMMIT, RuntimeFallback.POLLED_SOURCE)));
        assertThat(AppConfig.from(Map.of("HIRECHAT_RUNTIME_FALLBACKS", "all")).eventStore())
                .isEqualTo(new EventStoreMode.Jdbc(Set.of(RuntimeFallback.values())));

        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_RUNTIME_FALLBACKS", "group-commit,turbo")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("HIRECHAT_RUNTIME_FALLBACKS must be a comma-separated list of [group-commit,")
                .hasMessageEndingWith("or all, was 'turbo'");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", "axonserver", "HIRECHAT_RUNTIME_FALLBACKS", "group-commit")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HIRECHAT_RUNTIME_FALLBACKS applies only with HIRECHAT_EVENT_STORE=jdbc");
    }

    @Test
    void axonServerModeTakesServersContextTokenAndTimeout() {
        var defaults = AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", "axonserver")).eventStore();
        assertThat(defaults).isEqualTo(new EventStoreMode.AxonServer(List.of("axonserver:8124"), "default",
                Optional.empty(), Duration.ofSeconds(10)));

        var configured = (EventStoreMode.AxonServer) AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "AxonServer",
                "HIRECHAT_AXONSERVER_SERVERS", " as-1.internal:8124 , 10.0.0.7:9124,as-3",
                "HIRECHAT_AXONSERVER_CONTEXT", "hire-chat_1",
                "HIRECHAT_AXONSERVER_TOKEN", "s3cret-token",
                "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS", "3")).eventStore();
        assertThat(configured.servers()).containsExactly("as-1.internal:8124", "10.0.0.7:9124", "as-3:8124");
        assertThat(configured.addresses()).isEqualTo("as-1.internal:8124,10.0.0.7:9124,as-3:8124");
        assertThat(configured.context()).isEqualTo("hire-chat_1");
        assertThat(configured.token()).contains("s3cret-token");
        assertThat(configured.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(configured.toString()).as("the token never reaches a log line").doesNotContain("s3cret-token");
    }

    @Test
    void invalidAxonServerSettingsNameTheirVariable() {
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axon")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_EVENT_STORE");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_AXONSERVER_SERVERS is required");
        for (var servers : List.of("axonserver:", "axonserver:0", "axonserver:65536", "axonserver:812x", "a,,b",
                "axonserver:8124,", "grpc://axonserver:8124", "-axonserver", "axon server", "[::1]:8124")) {
            assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver",
                    "HIRECHAT_AXONSERVER_SERVERS", servers)))
                    .as(servers)
                    .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_AXONSERVER_SERVERS must be");
        }
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", "axonserver", "HIRECHAT_AXONSERVER_CONTEXT", "my context")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_AXONSERVER_CONTEXT");
        assertThatThrownBy(() -> AppConfig.from(Map.of("HIRECHAT_EVENT_STORE", "axonserver",
                "HIRECHAT_AXONSERVER_SERVERS", "axonserver", "HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("HIRECHAT_AXONSERVER_CONNECT_TIMEOUT_SECONDS");
    }
}
