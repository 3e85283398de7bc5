package com.hirechat.domain;

import java.util.regex.Pattern;

/**
 * A file a message carries, as the record keeps it: its name as shown to people, its size in bytes, its type as
 * detected from its content, and the SHA-256 of its bytes (lowercase hex), which is also its id in the store. The
 * chain covers these, so the hash ties the record to the file's exact bytes.
 */
public record Attachment(String name, long size, String type, String sha256) {

    /** Longest name kept, in UTF-16 units (file systems commonly allow 255). */
    public static final int MAX_NAME = 255;
    /** Most attachments on one message. */
    public static final int MAX_PER_MESSAGE = 10;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*");

    public Attachment {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || !isSafeName(name)) {
            throw new DomainRuleViolation(DomainError.INVALID_ATTACHMENT,
                    "an attachment's name is 1-" + MAX_NAME + " characters without path or control characters");
        }
        if (size < 1) {
            throw new DomainRuleViolation(DomainError.INVALID_ATTACHMENT, "an attachment has at least one byte");
        }
        if (type == null || type.length() > 100 || !MEDIA_TYPE.matcher(type).matches()) {
            throw new DomainRuleViolation(DomainError.INVALID_ATTACHMENT, "an attachment's type is a media type");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new DomainRuleViolation(DomainError.INVALID_ATTACHMENT,
                    "an attachment's hash is 64 lowercase hexadecimal digits");
        }
    }

    /** Whether a name has no path separators, no control characters and no lone surrogates. */
    public static boolean isSafeName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                return false;
            }
        }
        return !name.equals(".") && !name.equals("..");
    }
}
