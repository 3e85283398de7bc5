package com.hirechat.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.axonframework.serialization.Serializer;
import org.erdtman.jcs.JsonCanonicalizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.EventChain;

/**
 * Chain scheme 2: each link covers the event as it is stored, not as the code sees it, so renaming a record or a
 * component, upcasting or encrypting a field at the store boundary never changes what verifies.
 *
 * <p>hash = lowercase hex SHA-256 of: the previous hash (lowercase hex, UTF-8; empty for a conversation's first
 * event), one line feed (0x0A), and the UTF-8 bytes of the RFC 8785 (JCS) form of the envelope {@code
 * {"conversationId", "seq", "type", "revision", "payload"}}: the aggregate id, the sequence number, the stored
 * payload type and revision (null when absent), and the stored payload parsed as JSON. docs/compliance.md is the
 * specification; this class must agree with it byte for byte.
 */
public final class CanonicalEventChain implements EventChain {

    /** The scheme this class writes, stored under {@code chainScheme}. */
    public static final String SCHEME = "2";

    // only parses and writes trees: no domain type passes through it
    private static final ObjectMapper TREES = new ObjectMapper();
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(CanonicalEventChain::sha256);

    private final Serializer eventSerializer;

    /** {@code eventSerializer} must be the event store's: the bytes hashed are then the bytes stored. */
    public CanonicalEventChain(Serializer eventSerializer) {
        this.eventSerializer = eventSerializer;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String next(String previous, ConversationEvent event) {
        // what the store will write: JdbcEventStorageEngine serializes the payload with this serializer to byte[]
        var stored = eventSerializer.serialize(event, byte[].class);
        return hash(previous, canonical(event.conversationId().value(), event.seq(), stored.getType().getName(),
                stored.getType().getRevision(), stored.getData()));
    }

    /** The canonical text of a stored event: JCS of the envelope, whose UTF-8 bytes the hash covers. */
    public static String canonical(String conversationId, long seq, String type, String revision, byte[] payload) {
        try {
            ObjectNode envelope = TREES.createObjectNode();
            envelope.put("conversationId", conversationId);
            envelope.put("seq", seq);
            envelope.put("type", type);
            envelope.put("revision", revision);
            envelope.set("payload", TREES.readTree(payload));
            return new JsonCanonicalizer(TREES.writeValueAsBytes(envelope)).getEncodedString();
        } catch (IOException e) {
            // a stored payload that is not JSON cannot be canonical: verification reports that link as broken
            throw new UncheckedIOException("not a JSON payload: " + type, e);
        }
    }

    /** The link: SHA-256 over previous hash, a line feed and the canonical text, as lowercase hex. */
    public static String hash(String previous, String canonical) {
        var digest = SHA_256.get();
        digest.reset();
        digest.update(previous.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
        digest.update(canonical.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
