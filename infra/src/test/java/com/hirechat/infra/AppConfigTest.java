package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

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
        assertThat(AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true",
                "HIRECHAT_TOKEN_SECRET", "0123456789abcdef0123456789abcdef")).devLogin()).isFalse();
    }

    @Test
    void aPublicKeyOrASecretButNotBoth() throws Exception {
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var pem = "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        var config = AppConfig.from(Map.of("HIRECHAT_PRODUCTION", "true", "HIRECHAT_TOKEN_PUBLIC_KEY", pem));
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
}
