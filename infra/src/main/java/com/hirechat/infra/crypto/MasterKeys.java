package com.hirechat.infra.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master key that wraps every data key ({@code HIRECHAT_MASTER_KEY}), and the one it replaced while a rotation
 * runs ({@code HIRECHAT_MASTER_KEY_PREVIOUS}). Each is named by an id derived from it, stored beside every wrapped key,
 * so a key wrapped under either can be opened and the rotation knows what is left to re-wrap.
 */
public final class MasterKeys {

    /** Bytes of a master key (AES-256). */
    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] current;
    private final String currentId;
    private final Optional<byte[]> previous;
    private final Optional<String> previousId;

    public MasterKeys(byte[] current, Optional<byte[]> previous) {
        if (current.length != KEY_BYTES || previous.filter(key -> key.length != KEY_BYTES).isPresent()) {
            throw new IllegalArgumentException("a master key is " + KEY_BYTES + " bytes");
        }
        this.current = current.clone();
        this.currentId = idOf(current);
        this.previous = previous.map(byte[]::clone);
        this.previousId = previous.map(MasterKeys::idOf);
    }

    /** A new random master key. */
    public static byte[] generate() {
        var key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The id stored with what a key wraps: the first 8 bytes of a SHA-256 over a label and the key, as hex. */
    public static String idOf(byte[] key) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            digest.update("hirechat master key id\n".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest.digest(key), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * A key for another purpose, derived from the current master key (HMAC-SHA-256 over {@code purpose}), so that purpose
     * needs no secret of its own; it changes when the master key is rotated.
     */
    public byte[] derive(String purpose) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(current, "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HMAC-SHA256", e);
        }
    }

    public String currentId() {
        return currentId;
    }

    public Optional<String> previousId() {
        return previousId;
    }

    /** Wraps a data key under the current master key: nonce followed by AES-GCM ciphertext and tag, bound to its id. */
    public byte[] wrap(String keyId, byte[] dataKey) {
        var nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(current, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            var sealed = cipher.doFinal(dataKey);
            var out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** Opens a data key wrapped under the master key named {@code masterKeyId}, current or previous. */
    public byte[] unwrap(String keyId, String masterKeyId, byte[] wrapped) {
        byte[] master;
        if (masterKeyId.equals(currentId)) {
            master = current;
        } else if (previousId.filter(masterKeyId::equals).isPresent()) {
            master = previous.orElseThrow();
        } else {
            throw new UnknownMasterKeyException(masterKeyId);
        }
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(master, "AES"),
                    new GCMParameterSpec(TAG_BITS, wrapped, 0, NONCE_BYTES));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(wrapped, NONCE_BYTES, wrapped.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("data key " + keyId + " does not open under master key " + masterKeyId, e);
        }
    }

    /** A data key wrapped under a master key that is neither the current nor the previous one. */
    public static final class UnknownMasterKeyException extends RuntimeException {
        UnknownMasterKeyException(String masterKeyId) {
            super("a data key is wrapped under master key " + masterKeyId
                    + ", which is neither HIRECHAT_MASTER_KEY nor HIRECHAT_MASTER_KEY_PREVIOUS");
        }
    }
}
