package com.hirechat.domain;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Message digests kept per thread: {@code MessageDigest.getInstance} searches the security providers on every call,
 * and every send needs one for its message id (and verification one per scheme-1 link).
 */
final class Digests {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> create("SHA-256"));
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> create("MD5"));

    private Digests() {
    }

    /** This thread's SHA-256, empty. */
    static MessageDigest sha256() {
        return reset(SHA_256.get());
    }

    /** The same name-based (version 3) UUID as {@link UUID#nameUUIDFromBytes}, with this thread's MD5. */
    static UUID nameBasedUuid(byte[] name) {
        var md5 = reset(MD5.get()).digest(name);
        md5[6] = (byte) ((md5[6] & 0x0f) | 0x30);
        md5[8] = (byte) ((md5[8] & 0x3f) | 0x80);
        var bits = ByteBuffer.wrap(md5);
        return new UUID(bits.getLong(), bits.getLong());
    }

    private static MessageDigest reset(MessageDigest digest) {
        // a use that failed half-way must not leave its input behind for the next one
        digest.reset();
        return digest;
    }

    private static MessageDigest create(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + algorithm, e);
        }
    }
}
