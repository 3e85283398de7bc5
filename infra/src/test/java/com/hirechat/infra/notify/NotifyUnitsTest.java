package com.hirechat.infra.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hirechat.domain.UserId;
import com.hirechat.infra.ConfigException;

/** The unsubscribe token, the configuration's checks and the digest ids, without a server. */
class NotifyUnitsTest {

    private static final byte[] KEY = "an unsubscribe key of 32+ bytes!!".getBytes(StandardCharsets.UTF_8);

    @Test
    void aTokenNamesItsUserAndNoAlteredOneHolds() {
        var tokens = new UnsubscribeTokens(KEY);
        var token = tokens.sign(UserId.of("recruiter-500"));
        assertThat(tokens.verify(token)).contains(UserId.of("recruiter-500"));
        var signature = token.substring(token.indexOf('.'));
        var otherUser = Base64.getUrlEncoder().withoutPadding().encodeToString("seeker-1".getBytes(StandardCharsets.UTF_8));
        for (var bad : List.of(otherUser + signature, token + "A", token.replace('.', '-'), "", ".", "x.y",
                token.substring(0, token.length() - 1))) {
            assertThat(tokens.verify(bad)).as(bad).isEmpty();
        }
        // another key's token does not hold here
        var other = new UnsubscribeTokens("another key, also at least 32 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(other.verify(token)).isEmpty();
    }

    @Test
    void badSettingsStopStartUpNamingTheirVariable() {
        var host = Map.of("HIRECHAT_SMTP_HOST", "smtp.example.com", "HIRECHAT_SMTP_FROM", "chat@example.com");
        for (var bad : List.<Map<String, String>>of(
                Map.of("HIRECHAT_SMTP_PORT", "25"),
                Map.of("HIRECHAT_SMTP_HOST", "smtp.example.com"),
                with(host, "HIRECHAT_SMTP_FROM", "not an address"),
                with(host, "HIRECHAT_SMTP_PORT", "0"),
                with(host, "HIRECHAT_SMTP_STARTTLS", "maybe"),
                with(host, "HIRECHAT_SMTP_USERNAME", "chat"),
                with(host, "HIRECHAT_SMTP_HOST", "smtp example"),
                Map.of("HIRECHAT_NOTIFY_DELAY", "10m"),
                Map.of("HIRECHAT_NOTIFY_DELAY", "PT0.5S"),
                Map.of("HIRECHAT_NOTIFY_RETRY_BACKOFF", "PT2H"),
                Map.of("HIRECHAT_NOTIFY_INCLUDE_TEXT", "sometimes"),
                Map.of("HIRECHAT_PUBLIC_URL", "ftp://chat.example.com"),
                Map.of("HIRECHAT_NOTIFY_SECRET", "short"))) {
            assertThatThrownBy(() -> NotifyConfig.from(bad, false)).as(bad.toString())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageMatching("HIRECHAT_(SMTP|NOTIFY|PUBLIC)_[A-Z_]+ (must|needs|is required).*");
        }
    }

    @Test
    void whereMailGoes() {
        var none = NotifyConfig.from(Map.of(), false);
        assertThat(none.enabled()).as("production without SMTP: off").isFalse();
        assertThat(NotifyConfig.from(Map.of(), true).capture()).as("the development run captures").isTrue();
        var smtp = NotifyConfig.from(Map.of("HIRECHAT_SMTP_HOST", "smtp.example.com",
                "HIRECHAT_SMTP_FROM", "HireChat <chat@example.com>"), true);
        assertThat(smtp.capture()).isFalse();
        assertThat(smtp.smtp().orElseThrow().port()).isEqualTo(587);
        assertThat(smtp.smtp().orElseThrow().startTls()).as("STARTTLS required by default").isTrue();
        assertThat(none.defaultDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(none.includeText()).isFalse();
    }

    @Test
    void aBatchHasOneIdWhoeverRecordsIt() {
        var conversation = "2b83d1f1-65b8-39ee-a400-4b43bd925d4b";
        assertThat(DigestPlanner.digestId(conversation, "rita", 7)).isEqualTo(DigestPlanner.digestId(conversation, "rita", 7))
                .isNotEqualTo(DigestPlanner.digestId(conversation, "rita", 8))
                .isNotEqualTo(DigestPlanner.digestId(conversation, "sam", 7));
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new java.util.HashMap<>(base);
        map.put(key, value);
        return map;
    }
}
