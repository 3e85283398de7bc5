package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The tamper-evidence chain of a conversation: each event's hash covers the event and the hash before it, so
 * altering any stored event breaks every link from there on. Stored in the event's metadata under {@link #KEY}.
 */
public final class EventHash {

    public static final String KEY = "chainHash";
    /** What the first event of a conversation is chained to. */
    public static final String GENESIS = "";

    private EventHash() {
    }

    /** SHA-256 of the previous hash and the event's canonical text (its record form: every field, in order). */
    public static String next(String previous, ConversationEvent event) {
        var digest = Digests.sha256();
        digest.update(previous.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(event.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }
}
