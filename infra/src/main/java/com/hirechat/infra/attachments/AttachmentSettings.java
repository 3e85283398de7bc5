package com.hirechat.infra.attachments;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.hirechat.infra.ConfigException;
import com.hirechat.web.AttachmentPolicy;

/**
 * Reads the attachment policy from the environment ({@code HIRECHAT_ATTACHMENT_MAX_BYTES},
 * {@code HIRECHAT_ATTACHMENT_QUOTA_BYTES}, {@code HIRECHAT_ATTACHMENT_TYPES}; docs/configuration.md), refusing a
 * bad value at start with the variable's name.
 */
public final class AttachmentSettings {

    /** The largest file one may configure: uploads are streamed, but a request this long holds a connection. */
    public static final long MAX_CONFIGURABLE_BYTES = 1024L * 1024 * 1024;

    private AttachmentSettings() {
    }

    public static AttachmentPolicy from(Map<String, String> env) {
        var max = bytes(env, "HIRECHAT_ATTACHMENT_MAX_BYTES").orElse(AttachmentPolicy.DEFAULT_MAX_BYTES);
        if (max > MAX_CONFIGURABLE_BYTES) {
            throw new ConfigException("HIRECHAT_ATTACHMENT_MAX_BYTES", "must be at most " + MAX_CONFIGURABLE_BYTES
                    + " (1 GiB), was " + max);
        }
        var quota = bytes(env, "HIRECHAT_ATTACHMENT_QUOTA_BYTES")
                .orElse(Math.max(AttachmentPolicy.DEFAULT_QUOTA_BYTES, max));
        if (quota < max) {
            throw new ConfigException("HIRECHAT_ATTACHMENT_QUOTA_BYTES", "must be at least HIRECHAT_ATTACHMENT_MAX_BYTES ("
                    + max + "), was " + quota);
        }
        var types = Optional.ofNullable(env.get("HIRECHAT_ATTACHMENT_TYPES")).map(String::strip)
                .filter(text -> !text.isEmpty())
                .map(AttachmentSettings::types).orElse(AttachmentPolicy.DEFAULT_TYPES);
        return new AttachmentPolicy(max, quota, types);
    }

    private static java.util.Set<String> types(String text) {
        var types = new LinkedHashSet<String>();
        for (var name : text.split(",")) {
            var type = AttachmentPolicy.TYPE_NAMES.get(name.strip().toLowerCase(Locale.ROOT));
            if (type == null) {
                throw new ConfigException("HIRECHAT_ATTACHMENT_TYPES", "is a comma-separated list of "
                        + String.join(", ", new java.util.TreeSet<>(AttachmentPolicy.TYPE_NAMES.keySet()))
                        + "; '" + name.strip() + "' is not one of them");
            }
            types.add(type);
        }
        return types;
    }

    private static Optional<Long> bytes(Map<String, String> env, String key) {
        return Optional.ofNullable(env.get(key)).map(String::strip).filter(text -> !text.isEmpty()).map(text -> {
            try {
                var value = Long.parseLong(text);
                if (value > 0) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new ConfigException(key, "must be a positive number of bytes, was '" + text + "'");
        });
    }
}
