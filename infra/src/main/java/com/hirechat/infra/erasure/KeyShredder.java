package com.hirechat.infra.erasure;

import java.util.List;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.infra.crypto.KeyRing;

/**
 * Destroys the data keys of a subject for one erasure request and names every key that request destroyed, also when
 * run again after a crash (then it destroys what is left and names all of them). Destroying deletes the wrapped key;
 * the row stays as a tombstone. This node's key cache forgets them at once; other nodes within
 * {@link KeyRing#DESTRUCTIONS_CHECKED_EVERY}.
 */
public final class KeyShredder {

    private final Jdbi jdbi;
    private final KeyRing keys;

    public KeyShredder(Jdbi jdbi, KeyRing keys) {
        this.jdbi = jdbi;
        this.keys = keys;
    }

    /** Destroys the subject's live keys for {@code request}; returns every key the request destroyed, in id order. */
    public List<String> destroy(UUID request, ErasureSubject subject) {
        var column = switch (subject.kind()) {
            case USER -> "user_id = :subject";
            case CONVERSATION -> "conversation_id = CAST(:subject AS uuid)";
        };
        var destroyed = jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE data_keys SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = now(),
                                                 destroyed_by_request = :request
                             WHERE wrapped_key IS NOT NULL AND\s""" + column)
                    .bind("request", request)
                    .bind("subject", subject.id())
                    .execute();
            deleteAttachments(handle, subject);
            return handle.createQuery("""
                            SELECT key_id::text FROM data_keys WHERE destroyed_by_request = :request ORDER BY key_id""")
                    .bind("request", request)
                    .mapTo(String.class)
                    .list();
        });
        keys.forget(destroyed);
        return destroyed;
    }

    /**
     * The subject's files go with their keys (unreadable already; removed so their space and their names are gone
     * too): a user's uploads in every conversation, or every upload in a conversation.
     */
    private static void deleteAttachments(org.jdbi.v3.core.Handle handle, ErasureSubject subject) {
        var owner = switch (subject.kind()) {
            case USER -> "owner_id = :subject";
            case CONVERSATION -> "conversation_id = CAST(:subject AS uuid)";
        };
        var uploader = subject.kind() == ErasureSubject.Kind.USER ? "uploader_id = :subject" : owner;
        handle.createUpdate("""
                        WITH gone AS (DELETE FROM attachment_blobs WHERE\s""" + owner + """
                         RETURNING blob_id)
                        DELETE FROM attachment_chunks WHERE blob_id IN (SELECT blob_id FROM gone)""")
                .bind("subject", subject.id())
                .execute();
        handle.createUpdate("DELETE FROM attachment_uploads WHERE " + uploader)
                .bind("subject", subject.id())
                .execute();
    }
}
