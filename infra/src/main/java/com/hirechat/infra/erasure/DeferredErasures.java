package com.hirechat.infra.erasure;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** {@code deferred_erasures}: erasures and expiries a legal hold put off, until they are carried out. */
public final class DeferredErasures {

    /** One deferred request. */
    public record Deferral(UUID id, ErasureSubject subject, String requestedBy, String reason, String matters,
                           Instant deferredAt) {
    }

    private final Jdbi jdbi;

    public DeferredErasures(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a request a hold defers; one already pending for the subject is kept and nothing is added. */
    public void defer(ErasureSubject subject, String requestedBy, String reason, String matters) {
        jdbi.useHandle(handle -> defer(handle, subject, requestedBy, reason, matters));
    }

    /** {@link #defer(ErasureSubject, String, String, String)} inside the caller's transaction. */
    static void defer(Handle handle, ErasureSubject subject, String requestedBy, String reason, String matters) {
        handle.createUpdate("""
                        INSERT INTO deferred_erasures (deferral_id, subject_kind, subject_id, requested_by, reason,
                                                       matters, deferred_at)
                        VALUES (:id, :kind, :subject, :by, :reason, :matters, now())
                        ON CONFLICT (subject_kind, subject_id) WHERE carried_out_at IS NULL DO NOTHING""")
                .bind("id", UUID.randomUUID())
                .bind("kind", subject.kind().name())
                .bind("subject", subject.id())
                .bind("by", requestedBy)
                .bind("reason", reason)
                .bind("matters", matters)
                .execute();
    }

    /** Every request still deferred, oldest first. */
    public List<Deferral> pending() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT deferral_id, subject_kind, subject_id, requested_by, reason, matters, deferred_at
                          FROM deferred_erasures WHERE carried_out_at IS NULL ORDER BY deferred_at""")
                .map((row, context) -> new Deferral(row.getObject("deferral_id", UUID.class),
                        new ErasureSubject(ErasureSubject.Kind.valueOf(row.getString("subject_kind")),
                                row.getString("subject_id")),
                        row.getString("requested_by"), row.getString("reason"), row.getString("matters"),
                        row.getObject("deferred_at", java.time.OffsetDateTime.class).toInstant()))
                .list());
    }

    /** Marks a deferred request carried out. */
    public void carriedOut(UUID deferral) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "UPDATE deferred_erasures SET carried_out_at = now() WHERE deferral_id = :id")
                .bind("id", deferral)
                .execute());
    }
}
