package com.hirechat.infra.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hirechat.infra.ConfigException;
import com.hirechat.web.AttachmentPolicy;

/** The attachment variables: their defaults, and a clear refusal at start for each bad value. */
class AttachmentSettingsTest {

    @Test
    void theDefaultsAreTenMegabytesAFileTwoHundredAPersonAndTheSixTypes() {
        var policy = AttachmentSettings.from(Map.of());
        assertThat(policy.maxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(policy.quotaBytes()).isEqualTo(200L * 1024 * 1024);
        assertThat(policy.allowedTypes()).isEqualTo(AttachmentPolicy.DEFAULT_TYPES).hasSize(6);
    }

    @Test
    void eachVariableIsRead() {
        var policy = AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", "2000",
                "HIRECHAT_ATTACHMENT_QUOTA_BYTES", "5000", "HIRECHAT_ATTACHMENT_TYPES", " PDF, png "));
        assertThat(policy.maxBytes()).isEqualTo(2000);
        assertThat(policy.quotaBytes()).isEqualTo(5000);
        assertThat(policy.allowedTypes()).containsExactlyInAnyOrder("application/pdf", "image/png");
        // a limit above the default quota raises the default quota with it
        assertThat(AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", "300000000")).quotaBytes())
                .isEqualTo(300_000_000L);
    }

    @Test
    void badValuesStopTheStartNamingTheVariable() {
        assertThatThrownBy(() -> AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", "ten")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("HIRECHAT_ATTACHMENT_MAX_BYTES must be a positive number of bytes, was 'ten'");
        assertThatThrownBy(() -> AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", "0")))
                .hasMessageStartingWith("HIRECHAT_ATTACHMENT_MAX_BYTES must be a positive number");
        assertThatThrownBy(() -> AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_MAX_BYTES", "2000000000")))
                .hasMessageStartingWith("HIRECHAT_ATTACHMENT_MAX_BYTES must be at most");
        assertThatThrownBy(() -> AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_QUOTA_BYTES", "1000")))
                .hasMessage("HIRECHAT_ATTACHMENT_QUOTA_BYTES must be at least HIRECHAT_ATTACHMENT_MAX_BYTES (10485760), "
                        + "was 1000");
        assertThatThrownBy(() -> AttachmentSettings.from(Map.of("HIRECHAT_ATTACHMENT_TYPES", "pdf,exe")))
                .hasMessage("HIRECHAT_ATTACHMENT_TYPES is a comma-separated list of docx, jpeg, odt, pdf, png, webp; "
                        + "'exe' is not one of them");
    }
}
