package com.hirechat.infra.retention;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.web.ComplianceControls.RetentionRun;

/** {@code retention_runs}: every run of the retention policy, dry or real, listed newest first. */
public final class RetentionRuns {

    private final Jdbi jdbi;

    public RetentionRuns(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Records a finished run; {@code scheduledFor} is the scheduler's execution time of a scheduled run. */
    public RetentionRun record(Instant startedAt, String node, boolean dryRun, String trigger,
                               Optional<Instant> scheduledFor, String policy, List<String> expired,
                               List<String> deferred) {
        var run = new RetentionRun(UUID.randomUUID().toString(), startedAt, node, dryRun, trigger, policy,
                List.copyOf(expired), List.copyOf(deferred));
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO retention_runs (run_id, started_at, node, dry_run, trigger, scheduled_for, policy,
                                                    expired, deferred)
                        VALUES (CAST(:id AS uuid), :at, :node, :dry, :trigger, :scheduled, :policy, :expired, :deferred)""")
                .bind("id", run.runId())
                .bind("at", startedAt)
                .bind("node", node)
                .bind("dry", dryRun)
                .bind("trigger", trigger)
                .bind("scheduled", scheduledFor.orElse(null))
                .bind("policy", policy)
                .bind("expired", expired.toArray(String[]::new))
                .bind("deferred", deferred.toArray(String[]::new))
                .execute());
        return run;
    }

    /** The latest runs, newest first. */
    public List<RetentionRun> latest(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT run_id, started_at, node, dry_run, trigger, policy, expired, deferred
                          FROM retention_runs ORDER BY started_at DESC, run_id LIMIT :limit""")
                .bind("limit", limit)
                .map((row, context) -> new RetentionRun(row.getString("run_id"),
                        row.getObject("started_at", OffsetDateTime.class).toInstant(), row.getString("node"),
                        row.getBoolean("dry_run"), row.getString("trigger"), row.getString("policy"),
                        strings(row.getArray("expired")), strings(row.getArray("deferred"))))
                .list());
    }

    private static List<String> strings(java.sql.Array array) throws java.sql.SQLException {
        return Arrays.asList((String[]) array.getArray());
    }
}
