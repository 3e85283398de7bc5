package com.hirechat.infra.attachments;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

import com.hirechat.infra.crypto.DataKey;

/**
 * AES-256-GCM over one chunk of a file, under the data key of the owner's texts in the conversation. Unlike texts,
 * chunks are never hashed into the chain, so their nonces are random (96 bits; a key seals far fewer than 2^32
 * chunks). The associated data binds a chunk to its file, its place and its key, so chunks moved between files or
 * reordered do not open.
 */
final class ChunkCipher {

    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChunkCipher() {
    }

    record Sealed(byte[] nonce, byte[] ciphertext) {
    }

    static Sealed seal(DataKey key, String blobId, int chunk, byte[] plaintext, int length) {
        var nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            var cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.sealing(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(key, blobId, chunk));
            return new Sealed(nonce, cipher.doFinal(plaintext, 0, length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    /** The chunk's bytes, or a failure when anything about it was altered. */
    static byte[] open(DataKey key, String blobId, int chunk, byte[] nonce, byte[] ciphertext)
            throws GeneralSecurityException {
        var cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key.sealing(), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(aad(key, blobId, chunk));
        return cipher.doFinal(ciphertext);
    }

    private static byte[] aad(DataKey key, String blobId, int chunk) {
        return ("attachment|" + blobId + "|" + chunk + "|" + key.id()).getBytes(StandardCharsets.UTF_8);
    }
}
