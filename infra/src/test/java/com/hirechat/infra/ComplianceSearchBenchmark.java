package com.hirechat.infra;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.domain.UserId;
import com.hirechat.projections.ComplianceSearch;
import com.hirechat.projections.TestDatabase;

/**
 * The compliance search over 100,000 messages on the embedded PostgreSQL (docs/benchmarks.md, "Compliance search").
 * Run with {@code bash bench/compliance-search}. Fills the read models the search reads (history, participants,
 * conversations, job links) directly, as the projections would have, because what is measured is the query, not the
 * write path; then times each search through {@link ComplianceSearch} (JDBC included) and prints the plan of one.
 */
public final class ComplianceSearchBenchmark {

    private static final int MESSAGES = 100_000;
    private static final int PER_CONVERSATION = 50;
    private static final int RUNS = 50;

    private ComplianceSearchBenchmark() {
    }

    public static void main(String[] args) {
        var coordinates = TestDatabase.createDatabase();
        var env = Map.of("HIRECHAT_JDBC_URL", coordinates.jdbcUrl(), "HIRECHAT_JDBC_USER", coordinates.user(),
                "HIRECHAT_JDBC_PASSWORD", coordinates.password(), "HIRECHAT_TOKEN_SECRET", TestServers.TOKEN_SECRET,
                "HIRECHAT_MASTER_KEY", TestKeys.MASTER_BASE64);
        try (var database = Database.open(AppConfig.from(env))) {
            var jdbi = Jdbi.create(database.dataSource());
            var filled = System.nanoTime();
            fill(jdbi);
            System.out.printf("filled %,d messages in %,d conversations in %.1f s%n", MESSAGES,
                    MESSAGES / PER_CONVERSATION, (System.nanoTime() - filled) / 1e9);
            var search = new ComplianceSearch(jdbi);
            var cases = new LinkedHashMap<String, ComplianceSearch.Criteria>();
            cases.put("rare word (zanzibar, ~0.05% of messages)", words("zanzibar"));
            cases.put("word (offer, ~2%)", words("offer"));
            cases.put("phrase (\"salary offer\")", words("\"salary offer\""));
            cases.put("two words, one excluded (offer -salary)", words("offer -salary"));
            cases.put("word + participant (offer, user-7)", new ComplianceSearch.Criteria(Optional.of("offer"),
                    Optional.of(UserId.of("user-7")), Optional.empty(), Optional.empty(), Optional.empty()));
            cases.put("word + job + ten days (offer, job-3, 10-20 January)", new ComplianceSearch.Criteria(Optional.of("offer"),
                    Optional.empty(), Optional.of("job-3"), Optional.of(Instant.parse("2026-01-10T00:00:00Z")),
                    Optional.of(Instant.parse("2026-01-20T00:00:00Z"))));
            cases.put("common word (interview, ~20%)", words("interview"));
            System.out.println();
            System.out.println("| search | conversations | matches | median ms | p95 ms | max ms |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            for (var entry : cases.entrySet()) {
                ComplianceSearch.Page page = null;
                for (var warm = 0; warm < 5; warm++) {
                    page = search.search(entry.getValue(), 1, 20);
                }
                var times = new ArrayList<Double>();
                for (var run = 0; run < RUNS; run++) {
                    var started = System.nanoTime();
                    search.search(entry.getValue(), 1, 20);
                    times.add((System.nanoTime() - started) / 1e6);
                }
                times.sort(null);
                System.out.printf("| %s | %,d | %,d | %.1f | %.1f | %.1f |%n", entry.getKey(),
                        page.totalConversations(), page.totalMatches(), times.get(RUNS / 2),
                        times.get((int) Math.ceil(RUNS * 0.95) - 1), times.get(RUNS - 1));
            }
            System.out.println();
            System.out.println("EXPLAIN (ANALYZE, BUFFERS) of the search for offer, first page:");
            System.out.println(search.explain(words("offer"), 1, 20));
            System.out.println();
            System.out.println("PostgreSQL " + jdbi.withHandle(h -> h.createQuery("SHOW server_version")
                    .mapTo(String.class).one()));
        }
        System.exit(0);
    }

    private static ComplianceSearch.Criteria words(String words) {
        return new ComplianceSearch.Criteria(Optional.of(words), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * 2,000 direct conversations of 50 messages between 500 users, one message every 30 s from 2026-01-01; texts of 8
     * to 20 words drawn from 5,000 with a skew (a few words are very common), plus "interview" in ~20%, "salary" in
     * ~5%, "offer" in ~2% (often "salary offer") and "zanzibar" in ~0.05%. A job on every fourth conversation.
     */
    private static void fill(Jdbi jdbi) {
        jdbi.useHandle(handle -> {
            handle.execute("SELECT setseed(0.27)");
            handle.execute("""
                    INSERT INTO message_history (conversation_id, seq, message_id, client_message_id, sender_id, text,
                                                 sent_at, last_event_seq)
                    SELECT md5('conversation-' || c)::uuid, m, md5('message-' || i)::uuid, 'bench-' || i,
                           'user-' || ((c * 7 + m %% 2) %% 500),
                           (SELECT string_agg('w' || floor(power(random(), 3) * 5000)::int, ' ')
                              FROM generate_series(1, 8 + (i %% 13)) AS word WHERE i > 0)
                             || CASE WHEN random() < 0.20 THEN ' interview' ELSE '' END
                             || CASE WHEN random() < 0.05 THEN ' salary' ELSE '' END
                             || CASE WHEN random() < 0.02 THEN ' offer' ELSE '' END
                             || CASE WHEN random() < 0.0005 THEN ' zanzibar' ELSE '' END,
                           timestamptz '2026-01-01 00:00:00+00' + i * interval '30 seconds', m
                      FROM generate_series(1, %d) AS i,
                           LATERAL (SELECT (i - 1) / %d AS c, (i - 1) %% %d + 1 AS m) AS place"""
                    .formatted(MESSAGES, PER_CONVERSATION, PER_CONVERSATION));
            handle.execute("""
                    INSERT INTO conversations (conversation_id, kind, started_by, started_at)
                    SELECT DISTINCT conversation_id, 'DIRECT', min(sender_id), min(sent_at) FROM message_history
                     GROUP BY conversation_id""");
            handle.execute("""
                    INSERT INTO conversation_participants (conversation_id, user_id, joined_seq)
                    SELECT DISTINCT conversation_id, sender_id, 0 FROM message_history""");
            handle.execute("""
                    INSERT INTO job_links (conversation_id, job_id, title, linked_by, linked_at, seq)
                    SELECT conversation_id, 'job-' || (row_number() OVER (ORDER BY conversation_id) % 25), 'Job',
                           started_by, started_at, 0
                      FROM conversations WHERE get_byte(decode(md5(conversation_id::text), 'hex'), 0) % 4 = 0""");
            handle.execute("VACUUM ANALYZE message_history");
            handle.execute("ANALYZE conversations");
            handle.execute("ANALYZE conversation_participants");
            handle.execute("ANALYZE job_links");
        });
    }
}
