package com.hirechat.infra.retention;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.HoldTarget;
import com.hirechat.domain.UserId;
import com.hirechat.infra.erasure.DeferredErasures;
import com.hirechat.infra.erasure.ErasureHeld;
import com.hirechat.infra.erasure.ErasureSubject;
import com.hirechat.infra.erasure.LegalHolds;
import com.hirechat.infra.erasure.UserErasure;
import com.hirechat.web.ComplianceControls;
import com.hirechat.web.UserErasures;

/**
 * Legal holds and retention together, because each defers to the other: an erasure or expiry a hold covers is
 * recorded as deferred, and carried out when the last hold covering it is released. Also the erasure the compliance
 * API sees: a held erasure is deferred before it is refused.
 */
public final class HoldsAndRetention implements ComplianceControls, UserErasures {

    private static final Logger LOG = Logger.getLogger(HoldsAndRetention.class.getName());

    private final Jdbi jdbi;
    private final LegalHolds holds;
    private final DeferredErasures deferred;
    private final UserErasure erasure;
    private final ConversationExpiry expiry;
    private final RetentionRuns runs;
    private final RetentionPolicy policy;
    private final Clock clock;
    private final String node;

    public HoldsAndRetention(Jdbi jdbi, LegalHolds holds, UserErasure erasure, ConversationExpiry expiry,
                             RetentionPolicy policy, Clock clock, String node) {
        this.jdbi = jdbi;
        this.holds = holds;
        this.deferred = new DeferredErasures(jdbi);
        this.erasure = erasure;
        this.expiry = expiry;
        this.runs = new RetentionRuns(jdbi);
        this.policy = policy;
        this.clock = clock;
        this.node = node;
    }

    public RetentionPolicy policy() {
        return policy;
    }

    public String node() {
        return node;
    }

    /**
     * Completes what a stopped process left half-done: erasures and expiries under way, then deferred requests
     * whose holds were released.
     */
    public void resumeIncomplete() {
        erasure.resumeIncomplete();
        expiry.resumeIncomplete();
        carryOutDeferred();
    }

    /** Erases now, or, under a hold, records the erasure as deferred and refuses with {@link Held}. */
    @Override
    public Outcome erase(UserId user, UserId requestedBy, String reason) {
        try {
            return erasure.erase(user, requestedBy, reason);
        } catch (Held held) {
            var subject = new ErasureSubject(ErasureSubject.Kind.USER, user.value());
            var matters = holds.holdingMatter(subject).orElse("?");
            deferred.defer(subject, requestedBy.value(), reason, matters);
            LOG.info(() -> "erasure of " + user + " deferred by legal hold (" + matters + ")");
            throw new Held("user " + user + " is under legal hold (" + matters + "); the erasure is recorded as "
                    + "deferred and is carried out when the hold is released");
        }
    }

    @Override
    public Hold place(HoldTarget target, String matter, UserId placedBy) {
        return holds.place(target, matter, placedBy);
    }

    @Override
    public Release release(String holdId, UserId releasedBy) {
        var hold = holds.release(holdId, releasedBy);
        var outcome = carryOutDeferred();
        return new Release(hold, outcome.carriedOut(), outcome.stillDeferred());
    }

    @Override
    public List<Hold> holds() {
        return holds.all();
    }

    /** What {@link #carryOutDeferred} did: subjects as {@code KIND:id}. */
    public record CarriedOut(List<String> carriedOut, List<String> stillDeferred) {
    }

    /**
     * Carries out every deferred request no active hold covers any more; run on each release, at start and by every
     * scheduled retention run, so one a crash interrupted is not forgotten.
     */
    public CarriedOut carryOutDeferred() {
        var done = new ArrayList<String>();
        var waiting = new ArrayList<String>();
        for (var request : deferred.pending()) {
            var name = request.subject().kind() + ":" + request.subject().id();
            if (holds.holdingMatter(request.subject()).isPresent()) {
                waiting.add(name);
                continue;
            }
            switch (request.subject().kind()) {
                case USER -> {
                    try {
                        erasure.erase(UserId.of(request.subject().id()), UserId.of(request.requestedBy()),
                                request.reason());
                    } catch (Held raced) {
                        // a hold placed since the check: it stays deferred
                        waiting.add(name);
                        continue;
                    }
                }
                case CONVERSATION -> {
                    try {
                        expiry.expire(ConversationId.of(request.subject().id()), request.reason());
                    } catch (ErasureHeld raced) {
                        waiting.add(name);
                        continue;
                    }
                }
            }
            deferred.carriedOut(request.id());
            done.add(name);
            LOG.info(() -> "deferred erasure of " + name + " carried out: no hold covers it any more");
        }
        return new CarriedOut(done, waiting);
    }

    @Override
    public RetentionRun runRetention(boolean dryRun, String trigger) {
        return run(clock.instant(), dryRun, trigger, Optional.empty());
    }

    /** A run of the retention job, for the execution db-scheduler picked. */
    public RetentionRun runScheduled(Instant scheduledFor) {
        return run(clock.instant(), false, "SCHEDULE", Optional.of(scheduledFor));
    }

    @Override
    public List<RetentionRun> retentionRuns(int limit) {
        return runs.latest(limit);
    }

    /**
     * Applies the policy as of {@code now}: every conversation with live keys and no event for longer than its
     * kind's days expires, unless a hold covers it (then it is deferred); a dry run changes nothing but its record.
     */
    public RetentionRun run(Instant now, boolean dryRun, String trigger, Optional<Instant> scheduledFor) {
        if (!policy.enabled()) {
            throw new RetentionOff();
        }
        var startedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        var expired = new ArrayList<String>();
        var held = new ArrayList<String>();
        for (var candidate : inactive(now)) {
            var subject = new ErasureSubject(ErasureSubject.Kind.CONVERSATION, candidate.id().value());
            var rule = policy.label(candidate.kind());
            var matters = holds.holdingMatter(subject);
            if (matters.isPresent()) {
                held.add(candidate.id().value());
                if (!dryRun) {
                    deferred.defer(subject, ConversationExpiry.REQUESTER, rule, matters.get());
                }
            } else if (dryRun) {
                expired.add(candidate.id().value());
            } else {
                try {
                    expiry.expire(candidate.id(), rule);
                    expired.add(candidate.id().value());
                } catch (ErasureHeld raced) {
                    // a hold placed since the check above: the shredder deferred the expiry
                    held.add(candidate.id().value());
                }
            }
        }
        var run = runs.record(startedAt, node, dryRun, trigger, scheduledFor, policy.describe(), expired, held);
        LOG.info(() -> (dryRun ? "retention dry run: would expire " : "retention run: expired ") + expired.size()
                + " conversation(s), " + held.size() + " deferred by legal holds (" + policy.describe() + ")");
        return run;
    }

    private record Candidate(ConversationId id, ConversationKind kind) {
    }

    /** Conversations with a live key whose last event is older than their kind's limit. */
    private List<Candidate> inactive(Instant now) {
        var direct = policy.directDays().map(days -> now.minus(days, ChronoUnit.DAYS)).orElse(null);
        var group = policy.groupDays().map(days -> now.minus(days, ChronoUnit.DAYS)).orElse(null);
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id, kind FROM (
                            SELECT c.conversation_id, c.kind,
                                   (SELECT max(CAST(e.time_stamp AS timestamptz)) FROM domain_event_entry e
                                     WHERE e.aggregate_identifier = CAST(c.conversation_id AS text)) AS last_activity
                              FROM conversations c
                             WHERE EXISTS (SELECT 1 FROM data_keys k
                                            WHERE k.conversation_id = c.conversation_id AND k.wrapped_key IS NOT NULL)
                        ) candidates
                         WHERE (kind = 'DIRECT' AND last_activity < CAST(:direct AS timestamptz))
                            OR (kind = 'GROUP' AND last_activity < CAST(:group AS timestamptz))
                         ORDER BY conversation_id""")
                .bind("direct", direct == null ? null : direct.toString())
                .bind("group", group == null ? null : group.toString())
                .map((row, context) -> new Candidate(ConversationId.of(row.getString("conversation_id")),
                        ConversationKind.valueOf(row.getString("kind"))))
                .list());
    }
}
