package com.hirechat.infra.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM over one text. The 96-bit nonce is derived, not drawn at random: an HMAC of the message's identity
 * (context) and text under the key's nonce half. The chain hashes one serialization of an event and the store writes
 * another; with random nonces their ciphertexts, and so the stored bytes and the hashed bytes, would differ. A derived
 * nonce repeats only for the same context and text under the same key, which then gives the same ciphertext (and
 * the contexts are unique per message and edit).
 */
public final class Sealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private Sealer() {
    }

    /** A sealed text: the key's id, the nonce and the ciphertext with its tag. */
    public record Sealed(String keyId, byte[] nonce, byte[] data) {
    }

    public static Sealed seal(DataKey key, String aad, String context, String text) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(key.nonces());
            mac.update(context.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            var plaintext = text.getBytes(StandardCharsets.UTF_8);
            var nonce = Arrays.copyOf(mac.doFinal(plaintext), NONCE_BYTES);
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.sealing(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
            return new Sealed(key.id(), nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and HMAC-SHA256 are part of every JVM", e);
        }
    }

    /** The text, or a failure when the ciphertext, nonce or associated data were altered. */
    public static String open(DataKey key, String aad, Sealed sealed) throws GeneralSecurityException {
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.sealing(), new GCMParameterSpec(TAG_BITS, sealed.nonce()));
        cipher.updateAAD(aad.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(sealed.data()), StandardCharsets.UTF_8);
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    static byte[] bytes(String base64) {
        return Base64.getDecoder().decode(base64);
    }
}
