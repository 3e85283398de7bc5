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
            return handle.createQuery("""
                            SELECT key_id::text FROM data_keys WHERE destroyed_by_request = :request ORDER BY key_id""")
                    .bind("request", request)
                    .mapTo(String.class)
                    .list();
        });
        keys.forget(destroyed);
        return destroyed;
    }
}
