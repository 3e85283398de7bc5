package com.hirechat.infra.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;
import com.hirechat.web.TutorialTextHash;

/**
 * The tutorial's text hash as an HMAC-SHA256 under the sender's data key for the conversation (the key that seals
 * their texts there): destroyed by their erasure or the conversation's expiry, after which no stored hash can be
 * matched to a guessed text.
 */
public final class KeyedTextHash implements TutorialTextHash {

    /** 128 bits are plenty to tell one sender's texts in one conversation apart. */
    private static final int BYTES = 16;

    private final KeyRing keys;

    public KeyedTextHash(KeyRing keys) {
        this.keys = keys;
    }

    @Override
    public String of(ConversationId conversation, UserId sender, String text) {
        var key = keys.keyFor(KeySubject.messages(conversation, sender));
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key.textHashes());
            var digest = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }
}
