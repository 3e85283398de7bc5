package com.hirechat.web;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.hirechat.domain.HoldTarget;
import com.hirechat.domain.UserId;

/** Legal holds and retention runs (docs/compliance.md#legal-hold, #retention), as the compliance API asks for them. */
public interface ComplianceControls {

    /**
     * Places a hold on a known user or conversation.
     *
     * @throws UnknownTarget when nothing of that user or conversation was ever stored
     */
    Hold place(HoldTarget target, String matter, UserId placedBy);

    /**
     * Releases a hold and carries out what it deferred (those still held by another hold stay deferred).
     *
     * @throws UnknownHold when there is no such hold
     */
    Release release(String holdId, UserId releasedBy);

    /** Every hold, active ones first, newest first within each. */
    List<Hold> holds();

    /**
     * Applies the retention policy now, or with {@code dryRun} lists what it would do and changes nothing; either
     * way the run is recorded.
     *
     * @throws RetentionOff when no policy is configured
     */
    RetentionRun runRetention(boolean dryRun, String trigger);

    /** The latest recorded retention runs, newest first. */
    List<RetentionRun> retentionRuns(int limit);

    /** A hold, with its matter; released ones keep who released them and when. */
    record Hold(String holdId, String targetKind, String targetId, String matter, String placedBy, Instant placedAt,
                Optional<String> releasedBy, Optional<Instant> releasedAt) {
    }

    /** A released hold and the deferred requests carried out because of it (subject kind:id each). */
    record Release(Hold hold, List<String> carriedOut, List<String> stillDeferred) {
    }

    /** One run of the retention job: what expired, what a hold deferred, or would have with {@code dryRun}. */
    record RetentionRun(String runId, Instant startedAt, String node, boolean dryRun, String trigger, String policy,
                        List<String> expired, List<String> deferred) {
    }

    /** Nothing of the user or conversation a hold names was ever stored. */
    final class UnknownTarget extends RuntimeException {
        private final HoldTarget target;

        public UnknownTarget(HoldTarget target) {
            super("no " + target.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + target.id()
                    + " is known here");
            this.target = target;
        }

        public HoldTarget target() {
            return target;
        }
    }

    /** No hold has this id. */
    final class UnknownHold extends RuntimeException {
        public UnknownHold(String holdId) {
            super("no hold " + holdId);
        }
    }

    /** No retention policy is configured (HIRECHAT_RETENTION_…). */
    final class RetentionOff extends RuntimeException {
        public RetentionOff() {
            super("no retention policy is configured (HIRECHAT_RETENTION_DIRECT_DAYS, HIRECHAT_RETENTION_GROUP_DAYS)");
        }
    }
}
