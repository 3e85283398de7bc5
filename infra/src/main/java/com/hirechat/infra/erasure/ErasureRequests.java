package com.hirechat.infra.erasure;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

/** {@code erasure_requests}: every erasure, recorded before anything is destroyed, and when it completed. */
public final class ErasureRequests {

    /** One request. */
    public record Request(UUID id, ErasureSubject subject, String requestedBy, String reason, Instant requestedAt,
                          Optional<Instant> completedAt) {
    }

    private final Jdbi jdbi;

    public ErasureRequests(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a request durably (it commits before this returns): the first step of every erasure. */
    public Request record(ErasureSubject subject, String requestedBy, String reason) {
        var request = new Request(UUID.randomUUID(), subject, requestedBy, reason,
                Instant.now().truncatedTo(ChronoUnit.MICROS), Optional.empty());
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO erasure_requests (request_id, subject_kind, subject_id, requested_by, reason,
                                                      requested_at)
                        VALUES (:id, :kind, :subject, :by, :reason, :at)""")
                .bind("id", request.id())
                .bind("kind", subject.kind().name())
                .bind("subject", subject.id())
                .bind("by", requestedBy)
                .bind("reason", reason)
                .bind("at", request.requestedAt())
                .execute());
        return request;
    }

    /** Marks the request completed: its keys are destroyed and its event stored. */
    public Instant complete(UUID request) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        UPDATE erasure_requests SET completed_at = coalesce(completed_at, now())
                         WHERE request_id = :id RETURNING completed_at""")
                .bind("id", request)
                .mapTo(Instant.class)
                .one());
    }

    /** Requests that did not complete (the process stopped half-way), oldest first. */
    public List<Request> incomplete() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT request_id, subject_kind, subject_id, requested_by, reason, requested_at, completed_at
                          FROM erasure_requests WHERE completed_at IS NULL ORDER BY requested_at""")
                .map((row, context) -> read(row))
                .list());
    }

    /** The subject's latest completed request. */
    public Optional<Request> lastCompleted(ErasureSubject subject) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT request_id, subject_kind, subject_id, requested_by, reason, requested_at, completed_at
                          FROM erasure_requests
                         WHERE subject_kind = :kind AND subject_id = :subject AND completed_at IS NOT NULL
                         ORDER BY completed_at DESC LIMIT 1""")
                .bind("kind", subject.kind().name())
                .bind("subject", subject.id())
                .map((row, context) -> read(row))
                .findOne());
    }

    private static Request read(java.sql.ResultSet row) throws java.sql.SQLException {
        var completed = row.getObject("completed_at", java.time.OffsetDateTime.class);
        return new Request(row.getObject("request_id", UUID.class),
                new ErasureSubject(ErasureSubject.Kind.valueOf(row.getString("subject_kind")), row.getString("subject_id")),
                row.getString("requested_by"), row.getString("reason"),
                row.getObject("requested_at", java.time.OffsetDateTime.class).toInstant(),
                Optional.ofNullable(completed).map(java.time.OffsetDateTime::toInstant));
    }
}
