package com.hirechat.projections;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * Finds conversations for compliance (docs/compliance.md#console): words in messages through PostgreSQL's text search
 * over the history's generated {@code search_text} (GIN index), by participant, job and when messages were sent. It
 * sees what the history holds: current texts, nothing of removed or erased ones.
 */
public final class ComplianceSearch {

    /** The text search configuration: lower-cases, does not stem (texts are in any language). */
    public static final String TEXT_SEARCH_CONFIG = "simple";

    /** What to look for; every part is optional, and the parts narrow each other. */
    public record Criteria(Optional<String> words, Optional<UserId> participant, Optional<String> job,
                           Optional<Instant> from, Optional<Instant> to) {

        /** The criteria in words, for the access log. */
        public String describe() {
            var parts = new ArrayList<String>();
            words.ifPresent(value -> parts.add("q=" + value));
            participant.ifPresent(value -> parts.add("participant=" + value.value()));
            job.ifPresent(value -> parts.add("job=" + value));
            from.ifPresent(value -> parts.add("from=" + value));
            to.ifPresent(value -> parts.add("to=" + value));
            return String.join(" ", parts);
        }
    }

    /** One conversation found: how many of its messages match, when the first and last of them were sent. */
    public record Hit(String conversationId, String kind, String title, List<String> participants, long matches,
                      Instant firstMatchAt, Instant lastMatchAt) {
    }

    /** One page of conversations, newest last match first, with the totals over every page. */
    public record Page(int page, int pageSize, long totalConversations, long totalMatches, List<Hit> conversations) {
    }

    /** What erasing a user would make unreadable, as the read models know it now. */
    public record ErasureImpact(String userId, long messages, long conversations, int profileFields) {

        public boolean knowsNothing() {
            return messages == 0 && conversations == 0 && profileFields == 0;
        }
    }

    private final Jdbi jdbi;

    public ComplianceSearch(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** One page ({@code page} from 1) of the conversations with a message that matches every criterion. */
    public Page search(Criteria criteria, int page, int pageSize) {
        var sql = pageSql(criteria);
        return jdbi.withHandle(handle -> {
            var query = bind(handle.createQuery(sql), criteria)
                    .bind("limit", pageSize).bind("offset", (long) (page - 1) * pageSize);
            var totals = new long[2];
            var hits = query.map((row, context) -> {
                totals[0] = row.getLong("total_conversations");
                totals[1] = row.getLong("total_matches");
                return new Hit(row.getString("id"), row.getString("kind"), row.getString("title"),
                        List.of((String[]) row.getArray("participants").getArray()), row.getLong("matches"),
                        row.getTimestamp("first_at").toInstant(), row.getTimestamp("last_at").toInstant());
            }).list();
            if (hits.isEmpty() && page > 1) {
                // past the last page: the totals are still the search's
                var count = bind(handle.createQuery("""
                        SELECT count(DISTINCT h.conversation_id) AS conversations, count(*) AS matches
                          FROM message_history h WHERE %s""".formatted(where(criteria))), criteria)
                        .map((row, context) -> new long[] {row.getLong("conversations"), row.getLong("matches")}).one();
                totals[0] = count[0];
                totals[1] = count[1];
            }
            return new Page(page, pageSize, totals[0], totals[1], hits);
        });
    }

    /** PostgreSQL's plan of a search page, run: {@code EXPLAIN (ANALYZE, BUFFERS)}, for the benchmark and operators. */
    public String explain(Criteria criteria, int page, int pageSize) {
        return jdbi.withHandle(handle -> String.join("\n", bind(handle.createQuery(
                        "EXPLAIN (ANALYZE, BUFFERS) " + pageSql(criteria)), criteria)
                .bind("limit", pageSize).bind("offset", (long) (page - 1) * pageSize)
                .mapTo(String.class).list()));
    }

    private static String pageSql(Criteria criteria) {
        return """
                WITH hits AS (
                    SELECT h.conversation_id, count(*) AS matches, min(h.sent_at) AS first_at, max(h.sent_at) AS last_at
                      FROM message_history h
                     WHERE %s
                     GROUP BY h.conversation_id)
                SELECT hits.conversation_id::text AS id, hits.matches, hits.first_at, hits.last_at,
                       count(*) OVER () AS total_conversations, sum(hits.matches) OVER () AS total_matches,
                       c.kind, c.title,
                       ARRAY(SELECT p.user_id FROM conversation_participants p
                              WHERE p.conversation_id = hits.conversation_id ORDER BY p.user_id) AS participants
                  FROM hits LEFT JOIN conversations c ON c.conversation_id = hits.conversation_id
                 ORDER BY hits.last_at DESC, hits.conversation_id
                 LIMIT :limit OFFSET :offset""".formatted(where(criteria));
    }

    /** Every conversation the search finds, in the order of its pages: the selection an export of a search writes. */
    public List<ConversationId> conversations(Criteria criteria) {
        return jdbi.withHandle(handle -> bind(handle.createQuery("""
                        SELECT h.conversation_id::text FROM message_history h WHERE %s
                         GROUP BY h.conversation_id ORDER BY max(h.sent_at) DESC, h.conversation_id"""
                        .formatted(where(criteria))), criteria)
                .mapTo(String.class).map(ConversationId::of).list());
    }

    /** Every conversation the user ever took part in: the selection an export of a user writes. */
    public List<ConversationId> conversationsOf(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT conversation_id::text FROM conversation_participants WHERE user_id = :user
                         ORDER BY conversation_id""")
                .bind("user", user.value()).mapTo(String.class).map(ConversationId::of).list());
    }

    /**
     * What erasing {@code user} would make unreadable: the messages they wrote whose texts are still readable, the
     * conversations those are in, and the profile fields they have (name, and avatar when set).
     */
    public ErasureImpact erasureImpact(UserId user) {
        return jdbi.withHandle(handle -> {
            var messages = handle.createQuery("""
                            SELECT count(*) AS messages, count(DISTINCT conversation_id) AS conversations
                              FROM message_history WHERE sender_id = :user AND NOT erased""")
                    .bind("user", user.value())
                    .map((row, context) -> new long[] {row.getLong("messages"), row.getLong("conversations")}).one();
            var profileFields = handle.createQuery("""
                            SELECT 1 + CASE WHEN avatar_url IS NULL THEN 0 ELSE 1 END
                              FROM user_profiles WHERE user_id = :user""")
                    .bind("user", user.value()).mapTo(Integer.class).findOne().orElse(0);
            return new ErasureImpact(user.value(), messages[0], messages[1], profileFields);
        });
    }

    /** Whether the user ever took part in a conversation (the read models know of them). */
    public boolean tookPart(UserId user) {
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT EXISTS (SELECT 1 FROM conversation_participants WHERE user_id = :user)")
                .bind("user", user.value()).mapTo(Boolean.class).one());
    }

    private static String where(Criteria criteria) {
        var conditions = new ArrayList<String>();
        conditions.add("true");
        criteria.words().ifPresent(words -> conditions.add(
                "h.search_text @@ websearch_to_tsquery('" + TEXT_SEARCH_CONFIG + "', :words)"));
        criteria.from().ifPresent(from -> conditions.add("h.sent_at >= :from"));
        criteria.to().ifPresent(to -> conditions.add("h.sent_at < :to"));
        criteria.participant().ifPresent(participant -> conditions.add("""
                EXISTS (SELECT 1 FROM conversation_participants p
                         WHERE p.conversation_id = h.conversation_id AND p.user_id = :participant)"""));
        criteria.job().ifPresent(job -> conditions.add("""
                EXISTS (SELECT 1 FROM job_links j WHERE j.conversation_id = h.conversation_id AND j.job_id = :job)"""));
        return String.join(" AND ", conditions);
    }

    private static Query bind(Query query, Criteria criteria) {
        criteria.words().ifPresent(words -> query.bind("words", words));
        criteria.from().ifPresent(from -> query.bind("from", java.sql.Timestamp.from(from)));
        criteria.to().ifPresent(to -> query.bind("to", java.sql.Timestamp.from(to)));
        criteria.participant().ifPresent(participant -> query.bind("participant", participant.value()));
        criteria.job().ifPresent(job -> query.bind("job", job));
        return query;
    }
}
