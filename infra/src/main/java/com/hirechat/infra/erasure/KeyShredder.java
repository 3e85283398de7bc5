package com.hirechat.infra.erasure;

import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.infra.crypto.KeyRing;

/**
 * Destroys the data keys of a subject for one erasure request and names every key that request destroyed, also when
 * run again after a crash (then it destroys what is left and names all of them). Destroying deletes the wrapped key;
 * the row stays as a tombstone. This node's key cache forgets them at once; other nodes within
 * {@link KeyRing#DESTRUCTIONS_CHECKED_EVERY}.
 *
 * <p>Before the first key of a request goes, the guard is asked again under {@link HoldLock}, in the transaction
 * that destroys: a hold placed since the caller's own check turns the request into a deferred one there, atomically,
 * and {@link ErasureHeld} is thrown with nothing destroyed. A request that destroyed keys before (a crash) is
 * finished whatever holds came since: its erasure began before them.
 */
public final class KeyShredder {

    private final Jdbi jdbi;
    private final KeyRing keys;
    private final ErasureGuard guard;

    public KeyShredder(Jdbi jdbi, KeyRing keys, ErasureGuard guard) {
        this.jdbi = jdbi;
        this.keys = keys;
        this.guard = guard;
    }

    private record Shredded(List<String> keyIds, Optional<String> heldBy) {
    }

    /**
     * Destroys the subject's live keys for {@code request}; returns every key the request destroyed, in id order.
     *
     * @throws ErasureHeld when a hold covers the subject and the request had destroyed nothing yet
     */
    public List<String> destroy(ErasureRequests.Request request) {
        var subject = request.subject();
        var column = switch (subject.kind()) {
            case USER -> "user_id = :subject";
            case CONVERSATION -> "conversation_id = CAST(:subject AS uuid)";
        };
        var outcome = jdbi.inTransaction(handle -> {
            HoldLock.take(handle);
            if (destroyedBy(handle, request).isEmpty()) {
                var matters = guard.holdingMatter(handle, subject);
                if (matters.isPresent()) {
                    deferInstead(handle, request, matters.get());
                    return new Shredded(List.of(), matters);
                }
            }
            handle.createUpdate("""
                            UPDATE data_keys SET wrapped_key = NULL, master_key_id = NULL, destroyed_at = now(),
                                                 destroyed_by_request = :request
                             WHERE wrapped_key IS NOT NULL AND\s""" + column)
                    .bind("request", request.id())
                    .bind("subject", subject.id())
                    .execute();
            deleteAttachments(handle, subject);
            return new Shredded(destroyedBy(handle, request), Optional.empty());
        });
        if (outcome.heldBy().isPresent()) {
            throw new ErasureHeld(subject, outcome.heldBy().get());
        }
        keys.forget(outcome.keyIds());
        return outcome.keyIds();
    }

    private static List<String> destroyedBy(Handle handle, ErasureRequests.Request request) {
        return handle.createQuery("SELECT key_id::text FROM data_keys WHERE destroyed_by_request = :request ORDER BY key_id")
                .bind("request", request.id())
                .mapTo(String.class)
                .list();
    }

    /** The request did nothing yet: it leaves the requests under way and waits among the deferred ones. */
    private static void deferInstead(Handle handle, ErasureRequests.Request request, String matters) {
        DeferredErasures.defer(handle, request.subject(), request.requestedBy(), request.reason(), matters);
        handle.createUpdate("DELETE FROM erasure_requests WHERE request_id = :id AND completed_at IS NULL")
                .bind("id", request.id())
                .execute();
    }

    /**
     * The subject's files go with their keys (unreadable already; removed so their space and their names are gone
     * too): a user's uploads in every conversation, or every upload in a conversation.
     */
    private static void deleteAttachments(Handle handle, ErasureSubject subject) {
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
