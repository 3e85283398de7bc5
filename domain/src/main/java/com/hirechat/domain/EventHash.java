package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The tamper-evidence chain of a conversation: each event's hash covers the event and the hash before it, so
 * altering any stored event breaks every link from there on. Stored in the event's metadata under {@link #KEY}, with
 * the scheme that computed it under {@link #SCHEME_KEY} (absent: scheme 1). New events are chained by an
 * {@link EventChain}; docs/compliance.md specifies the schemes.
 */
public final class EventHash {

    public static final String KEY = "chainHash";
    /** Metadata key of the scheme that computed {@link #KEY}; events written before schemes existed have none. */
    public static final String SCHEME_KEY = "chainScheme";
    /** What the first event of a conversation is chained to. */
    public static final String GENESIS = "";

    private EventHash() {
    }

    /**
     * Scheme 1, frozen: SHA-256 of the previous hash, a line feed and the event's revision-1 record text
     * ({@link SchemeOneText}: its {@code toString} as written). Only verification uses it, for events stored before
     * scheme 2; it must never change, or those stop verifying. It holds only while the value types keep their names
     * and {@code toString}s, and {@link SchemeOneText} prints every event changed since in its revision-1 shape.
     */
    public static String schemeOne(String previous, ConversationEvent event) {
        var digest = Digests.sha256();
        digest.update(previous.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(SchemeOneText.of(event).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
