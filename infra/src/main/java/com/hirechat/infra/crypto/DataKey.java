package com.hirechat.infra.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An unwrapped data key, split into its three uses: the AES-256 key that seals texts, the HMAC key that derives
 * each text's nonce ({@link Sealer}) and the HMAC key of the tutorial's text hashes ({@link KeyedTextHash}). Lives in
 * memory only.
 */
public record DataKey(String id, SecretKeySpec sealing, SecretKeySpec nonces, SecretKeySpec textHashes) {

    static DataKey of(String id, byte[] key) {
        return new DataKey(id, new SecretKeySpec(derive(key, "hirechat seal"), "AES"),
                new SecretKeySpec(derive(key, "hirechat nonce"), "HmacSHA256"),
                new SecretKeySpec(derive(key, "hirechat tutorial text hash"), "HmacSHA256"));
    }

    private static byte[] derive(byte[] key, String label) {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every JVM", e);
        }
    }

    @Override
    public String toString() {
        return "DataKey[" + id + "]";
    }
}
