package com.hirechat.web;

import java.io.InputStream;
import java.util.Optional;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * Where the bytes of attachments live, content-addressed by the SHA-256 of their plaintext within one
 * (conversation, owner): the owner's data key for that conversation protects them, so erasing the owner or expiring
 * the conversation makes them unreadable. docs/attachments.md describes the PostgreSQL implementation and how an
 * object store would implement this.
 */
public interface AttachmentStore {

    /** What {@link #put} stored: the bytes' SHA-256 (lowercase hex) and their length. */
    record Stored(String sha256, long size) {
    }

    /** Asked once every byte was read and before anything is committed: throws to refuse the file. */
    @FunctionalInterface
    interface Admission {
        void admit(String sha256, long size);
    }

    /** The owner's files would together exceed their quota: nothing was stored. */
    final class QuotaExceeded extends RuntimeException {
        public QuotaExceeded(long used, long quota) {
            super("this file would take your attachments to more than " + quota + " bytes (" + used + " used)");
        }
    }

    /**
     * Reads {@code content} to its end and stores it, unless {@code admission} refuses it, the owner's stored bytes
     * would exceed {@code quotaBytes}, or reading fails: then nothing of it is kept. Never holds the whole file in
     * memory. Storing bytes the owner already stored in this conversation stores nothing new.
     */
    Stored put(ConversationId conversation, UserId owner, InputStream content, long quotaBytes, Admission admission);

    /** The plaintext, streamed; empty when the bytes are gone or their key was destroyed (erased, expired). */
    Optional<InputStream> open(ConversationId conversation, UserId owner, String sha256);

    /** Whether readable bytes are stored under this address. */
    boolean exists(ConversationId conversation, UserId owner, String sha256);

    /** Removes the bytes; nothing when there are none. */
    void delete(ConversationId conversation, UserId owner, String sha256);

    /** Bytes stored for the owner, across conversations (what the quota counts). */
    long usedBytes(UserId owner);
}
