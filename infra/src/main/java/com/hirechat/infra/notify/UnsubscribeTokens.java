package com.hirechat.infra.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;

/**
 * The one-click unsubscribe link's token: {@code base64url(user) "." base64url(HMAC-SHA-256(key, "unsubscribe|" + user))}.
 * It names whom it unsubscribes and cannot be made for anyone else without the key; it does not expire, as a link in an
 * old email must still work (RFC 8058).
 */
final class UnsubscribeTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;

    UnsubscribeTokens(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
    }

    /** The purpose the links' key is derived for from the master key, when no secret of their own is configured. */
    static final String PURPOSE = "hirechat unsubscribe links v1";

    String sign(UserId user) {
        return ENCODER.encodeToString(user.value().getBytes(StandardCharsets.UTF_8)) + "."
                + ENCODER.encodeToString(hmac(key, "unsubscribe|" + user.value()));
    }

    /** The user, when the token is well-formed and its signature holds. */
    Optional<UserId> verify(String token) {
        var dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 400) {
            return Optional.empty();
        }
        try {
            var user = UserId.of(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    StandardCharsets.UTF_8));
            var signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            return MessageDigest.isEqual(signature, hmac(key, "unsubscribe|" + user.value()))
                    ? Optional.of(user) : Optional.empty();
        } catch (IllegalArgumentException | DomainRuleViolation e) {
            return Optional.empty();
        }
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }
}
