package com.hirechat.infra.erasure;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.HoldTarget;
import com.hirechat.domain.LegalHold;
import com.hirechat.domain.PlaceLegalHold;
import com.hirechat.domain.ReleaseLegalHold;
import com.hirechat.domain.UserId;
import com.hirechat.web.ComplianceControls;
import com.hirechat.web.ComplianceControls.Hold;

/**
 * Legal holds: placed and released as {@code LegalHold} events, kept in {@code legal_holds} for the guard. A hold on a
 * user covers the user's erasure and the retention of every conversation they take part in; a hold on a
 * conversation covers its retention and the erasure of every participant (the whole erasure waits: their keys are
 * destroyed together or not at all).
 */
public final class LegalHolds implements ErasureGuard {

    private final Jdbi jdbi;
    private final ChatCommands commands;

    public LegalHolds(Jdbi jdbi, ChatCommands commands) {
        this.jdbi = jdbi;
        this.commands = commands;
    }

    /**
     * Places a hold on a user or conversation something of which is stored: a hold on a name nobody has would guard
     * nothing and hide a typo.
     */
    public Hold place(HoldTarget target, String matter, UserId placedBy) {
        if (!LegalHold.validMatter(matter)) {
            // the aggregate refuses it too; checked here first so that it is a 400, not a column too short
            throw new DomainRuleViolation(DomainError.INVALID_MATTER, LegalHold.MATTER_RULE);
        }
        if (!known(target)) {
            throw new ComplianceControls.UnknownTarget(target);
        }
        var id = UUID.randomUUID();
        var at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        // the row first, in a transaction the command joins in outcome: a refused matter leaves no row, and a hold
        // is enforced from the moment its event exists
        jdbi.useTransaction(handle -> {
            // ordered against every shredding: one that waits for this commit sees the hold and refuses
            HoldLock.take(handle);
            handle.createUpdate("""
                            INSERT INTO legal_holds (hold_id, target_kind, target_id, matter, placed_by, placed_at)
                            VALUES (:id, :kind, :target, :matter, :by, :at)""")
                    .bind("id", id)
                    .bind("kind", target.kind().name())
                    .bind("target", target.id())
                    .bind("matter", matter)
                    .bind("by", placedBy.value())
                    .bind("at", at)
                    .execute();
            commands.placeHold(new PlaceLegalHold(id.toString(), target, matter, placedBy));
        });
        return find(id.toString()).orElseThrow();
    }

    /** Releases a hold (refused by its aggregate when it was released already); returns it as released. */
    public Hold release(String holdId, UserId releasedBy) {
        if (find(holdId).isEmpty()) {
            throw new ComplianceControls.UnknownHold(holdId);
        }
        try {
            commands.releaseHold(new ReleaseLegalHold(holdId, releasedBy));
        } catch (DomainRuleViolation e) {
            // released by its event, but a process stopped before the row said so: this finishes that release
            if (e.error() != DomainError.HOLD_RELEASED || find(holdId).orElseThrow().releasedAt().isPresent()) {
                throw e;
            }
        }
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE legal_holds SET released_by = :by, released_at = now()
                         WHERE hold_id = CAST(:id AS uuid) AND released_at IS NULL""")
                .bind("id", holdId)
                .bind("by", releasedBy.value())
                .execute());
        return find(holdId).orElseThrow();
    }

    /** Every hold, active ones first, newest first within each. */
    public List<Hold> all() {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " ORDER BY released_at IS NOT NULL, placed_at DESC")
                .map((row, context) -> read(row))
                .list());
    }

    public Optional<Hold> find(String holdId) {
        return jdbi.withHandle(handle -> handle.createQuery(SELECT + " WHERE hold_id = CAST(:id AS uuid)")
                .bind("id", holdId)
                .map((row, context) -> read(row))
                .findOne());
    }

    /** The matters of the active holds covering this subject, joined, or empty when none does. */
    public Optional<String> holdingMatter(ErasureSubject subject) {
        return jdbi.withHandle(handle -> holdingMatter(handle, subject));
    }

    @Override
    public Optional<String> holdingMatter(Handle handle, ErasureSubject subject) {
        var sql = switch (subject.kind()) {
            case USER -> """
                    SELECT DISTINCT matter FROM legal_holds h
                     WHERE released_at IS NULL
                       AND ((target_kind = 'USER' AND target_id = :subject)
                         OR (target_kind = 'CONVERSATION'
                             AND (EXISTS (SELECT 1 FROM conversation_participants p
                                           WHERE p.conversation_id = CAST(h.target_id AS uuid) AND p.user_id = :subject)
                               OR EXISTS (SELECT 1 FROM data_keys k
                                           WHERE k.conversation_id = CAST(h.target_id AS uuid) AND k.user_id = :subject))))
                     ORDER BY matter""";
            case CONVERSATION -> """
                    SELECT DISTINCT matter FROM legal_holds h
                     WHERE released_at IS NULL
                       AND ((target_kind = 'CONVERSATION' AND target_id = :subject)
                         OR (target_kind = 'USER'
                             AND (EXISTS (SELECT 1 FROM conversation_participants p
                                           WHERE p.conversation_id = CAST(:subject AS uuid) AND p.user_id = h.target_id)
                               OR EXISTS (SELECT 1 FROM data_keys k
                                           WHERE k.conversation_id = CAST(:subject AS uuid) AND k.user_id = h.target_id))))
                     ORDER BY matter""";
        };
        var matters = handle.createQuery(sql)
                .bind("subject", subject.id())
                .mapTo(String.class)
                .list();
        return matters.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", matters));
    }

    private boolean known(HoldTarget target) {
        var sql = switch (target.kind()) {
            case USER -> """
                    SELECT EXISTS (SELECT 1 FROM data_keys WHERE user_id = :id)
                        OR EXISTS (SELECT 1 FROM conversation_participants WHERE user_id = :id)
                        OR EXISTS (SELECT 1 FROM user_profiles WHERE user_id = :id)""";
            case CONVERSATION -> """
                    SELECT EXISTS (SELECT 1 FROM domain_event_entry WHERE aggregate_identifier = :id)""";
        };
        return jdbi.withHandle(handle -> handle.createQuery(sql).bind("id", target.id()).mapTo(Boolean.class).one());
    }

    private static final String SELECT = """
            SELECT hold_id, target_kind, target_id, matter, placed_by, placed_at, released_by, released_at
              FROM legal_holds""";

    private static Hold read(java.sql.ResultSet row) throws java.sql.SQLException {
        return new Hold(row.getString("hold_id"), row.getString("target_kind"), row.getString("target_id"),
                row.getString("matter"), row.getString("placed_by"),
                row.getObject("placed_at", OffsetDateTime.class).toInstant(),
                Optional.ofNullable(row.getString("released_by")),
                Optional.ofNullable(row.getObject("released_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant));
    }
}
