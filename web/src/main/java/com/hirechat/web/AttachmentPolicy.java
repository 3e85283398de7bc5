package com.hirechat.web;

import java.util.Set;

/**
 * What uploads are accepted: at most {@code maxBytes} per file, at most {@code quotaBytes} stored per user, and
 * only the media types in {@code allowedTypes}, as detected from the content.
 */
public record AttachmentPolicy(long maxBytes, long quotaBytes, Set<String> allowedTypes) {

    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;
    public static final long DEFAULT_QUOTA_BYTES = 200L * 1024 * 1024;
    /** The types that have a name in {@link #TYPE_NAMES}. */
    public static final Set<String> DEFAULT_TYPES = Set.of("application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.oasis.opendocument.text", "image/png", "image/jpeg", "image/webp");
    /** Short names accepted in configuration for the supported types. */
    public static final java.util.Map<String, String> TYPE_NAMES = java.util.Map.of(
            "pdf", "application/pdf",
            "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "odt", "application/vnd.oasis.opendocument.text",
            "png", "image/png", "jpeg", "image/jpeg", "webp", "image/webp");

    public AttachmentPolicy {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("the largest attachment must be at least 1 byte");
        }
        if (quotaBytes < maxBytes) {
            throw new IllegalArgumentException("the per-user quota (" + quotaBytes
                    + " bytes) must be at least the largest attachment (" + maxBytes + " bytes)");
        }
        if (allowedTypes.isEmpty() || !DEFAULT_TYPES.containsAll(allowedTypes)) {
            throw new IllegalArgumentException("allowed attachment types are some of " + TYPE_NAMES.keySet());
        }
        allowedTypes = Set.copyOf(allowedTypes);
    }

    public static AttachmentPolicy defaults() {
        return new AttachmentPolicy(DEFAULT_MAX_BYTES, DEFAULT_QUOTA_BYTES, DEFAULT_TYPES);
    }

    /** Whether previews are made for this type (the images). */
    public static boolean isImage(String type) {
        return type.startsWith("image/");
    }
}
