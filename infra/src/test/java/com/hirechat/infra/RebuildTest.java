package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.projections.Projection;
import com.hirechat.projections.ReadModelTable;
import com.hirechat.projections.TestDatabase;

/** Rebuilding projections from the event store beside a serving node, and switching the live tables over. */
class RebuildTest {

    private static final List<String> LIVE_TABLES = Arrays.stream(Projection.values())
            .flatMap(projection -> projection.tables().stream())
            .map(ReadModelTable::qualified)
            .toList();

    @Test
    void rebuiltTablesAreIdenticalToTheLiveOnes() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, Map.of())) {
            script(new ApiClient(app.uri()));
            TestServers.awaitProjectionsCaughtUp(app.uri());

            var run = JarCommand.run(database, "rebuild", "--no-switch");

            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).containsPattern("rebuilt participants, history, contacts, directory, analytics "
                    + "from \\d+ events in [\\d.]+ s \\(\\d+ events/s\\)");
            assertThat(run.output()).contains("live tables unchanged");
            for (var table : LIVE_TABLES) {
                assertThat(rows(db, table)).as(table).isPositive();
                assertThat(difference(db, table, shadowOf(table))).as(table + " against its rebuild").isZero();
            }
        }
    }

    @Test
    void switchOverRepairsTheLiveTablesWhileTheServerKeepsServing() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var conversation = script(api);
            TestServers.awaitProjectionsCaughtUp(app.uri());
            var history = db.withHandle(h -> h.createQuery("SELECT count(*) FROM message_history").mapTo(Integer.class).one());
            // what a projection bug would leave behind
            db.useHandle(h -> {
                h.execute("DELETE FROM message_history WHERE client_message_id IN ('m1', 'g1')");
                h.execute("UPDATE contacts SET unread_count = 99");
                h.execute("DELETE FROM analytics.messages");
                h.execute("DELETE FROM conversation_participants WHERE user_id = 'rita'");
            });

            // traffic and reads go on during the whole rebuild and switch-over
            var sam = api.login("sam");
            var stop = new AtomicBoolean();
            var acked = new ConcurrentLinkedQueue<String>();
            var failures = new ConcurrentLinkedQueue<String>();
            var reads = new AtomicInteger();
            var traffic = Executors.newFixedThreadPool(2);
            traffic.submit(() -> {
                for (var i = 0; !stop.get(); i++) {
                    var id = "during-" + i;
                    var sent = api.post("api/conversations/" + conversation + "/messages", sam,
                            "{\"clientMessageId\":\"" + id + "\",\"text\":\"while rebuilding " + i + "\"}");
                    if (sent.status() == 200) {
                        acked.add(id);
                    } else {
                        failures.add("send " + sent.status());
                    }
                }
            });
            traffic.submit(() -> {
                while (!stop.get()) {
                    var read = api.get("api/conversations/" + conversation + "/messages?limit=5", sam);
                    if (read.status() == 200) {
                        reads.incrementAndGet();
                    } else {
                        failures.add("read " + read.status());
                    }
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> acked.size() >= 5 && reads.get() >= 5);
            var readsBefore = reads.get();

            var run = JarCommand.run(database, "rebuild");

            await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > readsBefore + 5 && acked.size() >= 20);
            stop.set(true);
            traffic.shutdown();
            assertThat(traffic.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.output()).containsPattern("switched over: public.conversation_participants \\(\\d+ rows\\)")
                    .contains("analytics.messages (").contains("reads went on");
            assertThat(failures).isEmpty();
            TestServers.awaitProjectionsCaughtUp(app.uri());

            // repaired, and everything sent during the rebuild is there exactly once
            assertThat(count(db, "SELECT count(*) FROM message_history WHERE conversation_id = CAST(:c AS uuid) "
                    + "AND client_message_id = 'm1'", conversation)).isOne();
            assertThat(count(db, "SELECT count(*) FROM conversation_participants WHERE conversation_id = CAST(:c AS uuid) "
                    + "AND user_id = 'rita'", conversation)).isOne();
            assertThat(count(db, """
                    SELECT count(*) FROM contacts c
                     WHERE conversation_id = CAST(:c AS uuid)
                       AND unread_count <> (SELECT count(*) FROM message_history h
                                             WHERE h.conversation_id = c.conversation_id AND h.seq > c.read_up_to
                                               AND h.sender_id <> c.user_id AND h.redacted_at IS NULL)""",
                    conversation))
                    .as("contacts whose unread count is not the messages from others after their read mark that "
                            + "are not removed").isZero();
            var stored = db.withHandle(h -> h.createQuery("""
                            SELECT client_message_id FROM message_history
                             WHERE conversation_id = CAST(:c AS uuid) AND client_message_id LIKE 'during-%'""")
                    .bind("c", conversation).mapTo(String.class).list());
            assertThat(stored).containsExactlyInAnyOrderElementsOf(acked);
            assertThat(rows(db, "message_history")).isEqualTo(history + acked.size());
            assertThat(rows(db, "analytics.messages")).isEqualTo(history + acked.size());

            // and the switched tables, with the live processor carrying on after the switch, equal a fresh rebuild
            var again = JarCommand.run(database, "rebuild", "--no-switch");
            assertThat(again.exit()).as(again.output()).isZero();
            for (var table : LIVE_TABLES) {
                assertThat(difference(db, table, shadowOf(table))).as(table + " against a fresh rebuild").isZero();
            }
        }
    }

    @Test
    void oneRebuildAtATimeAndUnknownProjectionsAreRefused() throws Exception {
        var database = TestServers.freshDatabase();
        try (var app = TestServers.on(database, Map.of())) {
            var unknown = JarCommand.run(database, "rebuild", "everything");
            assertThat(unknown.exit()).isEqualTo(2);
            assertThat(unknown.output()).contains("unknown projection 'everything': choose from participants, history,");

            try (var connection = TestDatabase.dataSource(database).getConnection();
                 var statement = connection.createStatement()) {
                // the key ProjectionRebuild takes
                statement.execute("SELECT pg_advisory_lock(" + 0x68697265_72656231L + ")");
                var busy = JarCommand.run(database, "rebuild", "history");
                assertThat(busy.exit()).isEqualTo(1);
                assertThat(busy.output()).contains("rebuild failed: another rebuild is running on this database");
            }
            var history = JarCommand.run(database, "rebuild", "HISTORY");
            assertThat(history.exit()).as(history.output()).isZero();
            assertThat(history.output()).contains("switched over: public.message_history (0 rows)");
        }
    }

    /** Profiles, a direct conversation with a job, edits, a redaction, reads, a group with a member leaving. */
    private static String script(ApiClient api) {
        var admin = api.loginWithRoles("host-site", "admin");
        ok(api.put("api/admin/users/sam", admin, "{\"displayName\":\"Sam\",\"role\":\"seeker\"}"));
        ok(api.put("api/admin/users/rita", admin, "{\"displayName\":\"Rita\",\"role\":\"recruiter\"}"));
        var sam = api.login("sam");
        var rita = api.login("rita");
        var conversation = api.post("api/conversations", sam,
                "{\"with\":\"rita\",\"job\":{\"id\":\"job-42\",\"title\":\"Java Engineer\"}}").body()
                .path("conversationId").asText();
        var messages = new ArrayList<String>();
        for (var i = 1; i <= 6; i++) {
            var author = i % 2 == 0 ? rita : sam;
            messages.add(ok(api.post("api/conversations/" + conversation + "/messages", author,
                    "{\"clientMessageId\":\"m" + i + "\",\"text\":\"message " + i + "\"}")).body().path("messageId").asText());
        }
        ok(api.patch("api/conversations/" + conversation + "/messages/" + messages.get(0), sam, "{\"text\":\"edited\"}"));
        ok(api.delete("api/conversations/" + conversation + "/messages/" + messages.get(1), rita));
        ok(api.post("api/conversations/" + conversation + "/read", rita, "{\"upToSeq\":3}"));
        ok(api.post("api/conversations/" + conversation + "/jobs", rita, "{\"id\":\"job-43\",\"title\":\"Kotlin\"}"));
        var group = api.post("api/conversations", rita,
                "{\"participants\":[\"sam\",\"tom\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        ok(api.post("api/conversations/" + group + "/messages", rita, "{\"clientMessageId\":\"g1\",\"text\":\"welcome\"}"));
        ok(api.post("api/conversations/" + group + "/participants", rita, "{\"userId\":\"uma\"}"));
        ok(api.delete("api/conversations/" + group + "/participants/tom", rita));
        ok(api.post("api/conversations/" + group + "/messages", sam, "{\"clientMessageId\":\"g2\",\"text\":\"hi all\"}"));
        // a message with a file: its row in message_attachments is rebuilt too
        var file = api.postBytes("api/conversations/" + group + "/attachments?name=cv.pdf", sam, TestFiles.pdf());
        assertThat(file.status()).as(String.valueOf(file.body())).isEqualTo(201);
        ok(api.post("api/conversations/" + group + "/messages", sam,
                "{\"clientMessageId\":\"g3\",\"attachments\":[\"" + file.body().path("id").asText() + "\"]}"));
        return conversation;
    }

    private static ApiClient.Response ok(ApiClient.Response response) {
        assertThat(response.status()).as(String.valueOf(response.body())).isBetween(200, 204);
        return response;
    }

    private static String shadowOf(String table) {
        var dot = table.indexOf('.');
        return ProjectionRebuild.shadowSchema(table.substring(0, dot)) + table.substring(dot);
    }

    private static int count(Jdbi db, String sql, String conversation) {
        return db.withHandle(h -> h.createQuery(sql).bind("c", conversation).mapTo(Integer.class).one());
    }

    private static int rows(Jdbi db, String table) {
        return db.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    /** Rows in either table and not in the other, duplicates counted. */
    private static int difference(Jdbi db, String one, String other) {
        return db.withHandle(h -> h.createQuery("SELECT (SELECT count(*) FROM (TABLE " + one + " EXCEPT ALL TABLE "
                + other + ") a) + (SELECT count(*) FROM (TABLE " + other + " EXCEPT ALL TABLE " + one + ") b)")
                .mapTo(Integer.class).one());
    }
}
