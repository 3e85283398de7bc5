package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.hirechat.projections.TestDatabase;

/**
 * Email digests end to end (docs/notifications.md): the real application on PostgreSQL, a real SMTP server in the JVM
 * (GreenMail), the saga's deadlines in db-scheduler's table. Delays are seconds, set by configuration; every wait is
 * an await with a deadline.
 */
class EmailDigestTest {

    @RegisterExtension
    static final GreenMailExtension SMTP = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    private static final String RECRUITER_MAIL = "rita@example.com";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Map<String, String> settings(int smtpPort, String delay) {
        var settings = new HashMap<String, String>();
        settings.put("HIRECHAT_SMTP_HOST", "127.0.0.1");
        settings.put("HIRECHAT_SMTP_PORT", Integer.toString(smtpPort));
        settings.put("HIRECHAT_SMTP_FROM", "HireChat <chat@jobs.example.com>");
        // GreenMail speaks plain SMTP; production requires STARTTLS (the default)
        settings.put("HIRECHAT_SMTP_STARTTLS", "false");
        settings.put("HIRECHAT_NOTIFY_DELAY", delay);
        settings.put("HIRECHAT_NOTIFY_RETRY_BACKOFF", "PT0.2S");
        return settings;
    }

    /** A seeker writes to a recruiter about a job; the recruiter has an address. Returns the conversation. */
    private static String conversationWithRecruiter(ApiClient api) {
        var admin = api.loginWithRoles("host-site", "admin");
        var registered = api.put("api/admin/users/recruiter", admin, """
                {"displayName": "Rita at Acme", "role": "recruiter", "email": "%s"}""".formatted(RECRUITER_MAIL));
        assertThat(registered.status()).as(registered.body().toString()).isEqualTo(204);
        assertThat(api.put("api/admin/users/seeker", admin, """
                {"displayName": "Sam Seeker", "role": "seeker"}""").status()).isEqualTo(204);
        var started = api.post("api/conversations", api.login("seeker"), """
                {"with": "recruiter", "job": {"id": "job-42", "title": "Senior Java Engineer"}}""");
        assertThat(started.status()).isEqualTo(200);
        return started.body().path("conversationId").asText();
    }

    private static long send(ApiClient api, String token, String conversation, String text) {
        var sent = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\": \"" + UUID.randomUUID() + "\", \"text\": \"" + text + "\"}");
        assertThat(sent.status()).as(sent.body().toString()).isEqualTo(200);
        return sent.body().path("seq").asLong();
    }

    private static List<Map<String, Object>> digests(Jdbi db) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT recipient, from_seq, up_to_seq, status, reason, attempts FROM digests ORDER BY recorded_at""")
                .mapToMap().list());
    }

    @Test
    void oneDigestForABurstAfterTheDelayNamingSenderAndJobButNotTheText() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT2S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            var seeker = api.login("seeker");
            long last = 0;
            for (var i = 0; i < 20; i++) {
                last = send(api, seeker, conversation, "secret-salary-" + i);
            }
            assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
            var upTo = last;
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db),
                    rows -> rows.size() == 1 && "SENT".equals(rows.getFirst().get("status")));
            // a flood is still one digest, and nothing more arrives for it
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> SMTP.getReceivedMessages().length == 1 && digests(db).size() == 1);
            var row = digests(db).getFirst();
            assertThat(row).containsEntry("recipient", "recruiter").containsEntry("up_to_seq", upTo);

            var mail = SMTP.getReceivedMessages()[0];
            assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(RECRUITER_MAIL);
            assertThat(mail.getSubject()).isEqualTo("20 new messages from Sam Seeker about Senior Java Engineer");
            var body = GreenMailUtil.getBody(mail);
            assertThat(body).doesNotContain("secret-salary").contains("?with=seeker");
            assertThat(mail.getHeader("List-Unsubscribe-Post")[0]).isEqualTo("List-Unsubscribe=One-Click");
            assertThat(mail.getHeader("List-Unsubscribe")[0]).startsWith("<" + app.uri() + "unsubscribe?token=");
            assertThat(mail.getMessageID()).matches("<digest-[0-9a-f-]{36}@jobs\\.example\\.com>");
            // the sender is not mailed about their own messages
            assertThat(digests(db)).noneMatch(digest -> "seeker".equals(digest.get("recipient")));
            // with no batch waiting the conversation's saga ended: the store keeps only what still waits
            int sagas = db.withHandle(h -> h.createQuery("SELECT count(*) FROM saga_entry").mapTo(Integer.class).one());
            assertThat(sagas).isZero();
        }
    }

    @Test
    void aReadInTimeCancelsTheDigestOfWhatWasRead() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT2S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            var seeker = api.login("seeker");
            var first = send(api, seeker, conversation, "read in time");
            var read = api.post("api/conversations/" + conversation + "/read", api.login("recruiter"),
                    "{\"upToSeq\": " + first + "}");
            assertThat(read.status()).isEqualTo(204);
            var second = send(api, seeker, conversation, "not read");

            assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db),
                    rows -> rows.size() == 1 && "SENT".equals(rows.getFirst().get("status")));
            // had the read not cancelled it, the first message's digest was due first and covered it
            assertThat(digests(db).getFirst()).containsEntry("from_seq", second).containsEntry("up_to_seq", second);
            assertThat(SMTP.getReceivedMessages()[0].getSubject()).startsWith("New message from Sam Seeker");
        }
    }

    @Test
    void aRestartInTheMiddleSendsTheDigestOnce() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var settings = settings(SMTP.getSmtp().getPort(), "PT4S");
        String conversation;
        try (var app = TestServers.on(database, settings)) {
            var api = new ApiClient(app.uri());
            conversation = conversationWithRecruiter(api);
            send(api, api.login("seeker"), conversation, "before the restart");
            // the saga has scheduled its deadline (a row of db-scheduler's table) before this node stops
            await().atMost(Duration.ofSeconds(10)).until(() -> deadlines(db) == 1);
            assertThat(SMTP.getReceivedMessages()).isEmpty();
        }
        try (var restarted = TestServers.on(database, settings)) {
            assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> SMTP.getReceivedMessages().length == 1);
            assertThat(digests(db)).singleElement().satisfies(row -> assertThat(row).containsEntry("status", "SENT"));
        }
    }

    @Test
    void twoNodesOnOneDatabaseSendEachDigestOnce() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var settings = settings(SMTP.getSmtp().getPort(), "PT2S");
        try (var nodeA = TestServers.on(database, settings); var nodeB = TestServers.on(database, settings)) {
            var apiA = new ApiClient(nodeA.uri());
            var apiB = new ApiClient(nodeB.uri());
            var conversation = conversationWithRecruiter(apiA);
            var seeker = apiA.login("seeker");
            for (var i = 0; i < 10; i++) {
                send(i % 2 == 0 ? apiA : apiB, seeker, conversation, "from both nodes " + i);
            }
            assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                    .until(() -> SMTP.getReceivedMessages().length == 1 && digests(db).size() == 1);
            assertThat(SMTP.getReceivedMessages()[0].getSubject()).startsWith("10 new messages");
        }
    }

    @Test
    void theUnsubscribeLinkWorksOnceSignedAndIsRefusedWhenTampered() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            var seeker = api.login("seeker");
            send(api, seeker, conversation, "hello");
            assertThat(SMTP.waitForIncomingEmail(30_000, 1)).isTrue();
            var header = SMTP.getReceivedMessages()[0].getHeader("List-Unsubscribe")[0];
            var link = URI.create(header.substring(1, header.length() - 1));

            // a tampered token: another user's name with this signature
            var token = link.getQuery().substring("token=".length());
            var forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("seeker".getBytes())
                    + token.substring(token.indexOf('.'));
            for (var bad : List.of(forged, token.substring(0, token.length() - 2) + "xx", "garbage", "")) {
                var refused = api.post("unsubscribe?token=" + bad, null, "List-Unsubscribe=One-Click");
                assertThat(refused.status()).as(bad).isEqualTo(400);
                assertThat(refused.errorCode()).isEqualTo("invalid_unsubscribe_token");
            }
            var recruiter = api.login("recruiter");
            assertThat(api.get("api/me/preferences", recruiter).body().path("emailDigests").asBoolean()).isTrue();

            // GET only asks (mail scanners follow links); the one-click POST unsubscribes
            var page = HTTP.send(HttpRequest.newBuilder(link).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<form method=\"post\"");
            assertThat(api.get("api/me/preferences", recruiter).body().path("emailDigests").asBoolean()).isTrue();
            var oneClick = HTTP.send(HttpRequest.newBuilder(link)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("List-Unsubscribe=One-Click")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(oneClick.statusCode()).isEqualTo(200);
            var preferences = api.get("api/me/preferences", recruiter).body();
            assertThat(preferences.path("emailDigests").asBoolean()).isFalse();
            assertThat(preferences.path("hasEmail").asBoolean()).isTrue();

            // the next batch is recorded as skipped, and not mailed
            send(api, seeker, conversation, "after unsubscribing");
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db), rows -> rows.size() == 2
                    && "SKIPPED".equals(rows.get(1).get("status")));
            assertThat(digests(db).get(1)).containsEntry("reason", "digests turned off");
            assertThat(SMTP.getReceivedMessages()).hasSize(1);
        }
    }

    @Test
    void smtpDownThenUpSendsTheDigestOnceAfterRetries() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        var port = TestServers.freePort();
        try (var app = TestServers.on(database, settings(port, "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            send(api, api.login("seeker"), conversation, "while the mail server is down");
            // recorded, tried, and kept for later
            await().atMost(Duration.ofSeconds(30)).until(() -> digests(db), rows -> rows.size() == 1
                    && ((Number) rows.getFirst().get("attempts")).intValue() >= 2
                    && "PENDING".equals(rows.getFirst().get("status")));
            assertThat((String) digests(db).getFirst().get("reason")).startsWith("retrying:");

            var late = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            late.start();
            try {
                assertThat(late.waitForIncomingEmail(60_000, 1)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> digests(db),
                        rows -> "SENT".equals(rows.getFirst().get("status")));
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                        .until(() -> late.getReceivedMessages().length == 1);
            } finally {
                late.stop();
            }
        }
    }

    @Test
    void aRecipientWithoutAnAddressOrErasedGetsNothingAndItIsRecorded() throws Exception {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            // the seeker has no address: their digest is skipped and recorded
            send(api, api.login("recruiter"), conversation, "to the seeker");
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db), rows -> rows.size() == 1
                    && "SKIPPED".equals(rows.getFirst().get("status")));
            assertThat(digests(db).getFirst()).containsEntry("recipient", "seeker").containsEntry("reason", "no address");

            // the recruiter is erased: their address is gone with their profile, and nothing is sent to them
            var erased = api.post("api/compliance/users/recruiter/erasure", api.loginWithRoles("dpo", "compliance"),
                    "{\"reason\": \"request 2026-12\"}");
            assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> db.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM notification_settings WHERE user_id = 'recruiter'").mapTo(Integer.class).one()) == 0);
            send(api, api.login("seeker"), conversation, "to the erased recruiter");
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db), rows -> rows.size() == 2
                    && "SKIPPED".equals(rows.get(1).get("status")));
            assertThat(digests(db).get(1)).containsEntry("recipient", "recruiter");
            assertThat(SMTP.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void preferencesAreValidatedWithStableCodes() {
        var database = TestServers.freshDatabase();
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT1S"))) {
            var api = new ApiClient(app.uri());
            var user = api.login("someone");
            var defaults = api.get("api/me/preferences", user);
            assertThat(defaults.status()).isEqualTo(200);
            assertThat(defaults.body().toString()).isEqualTo(
                    "{\"emailDigests\":true,\"delayMinutes\":null,\"quietHours\":null,\"timeZone\":\"UTC\",\"hasEmail\":false}");
            var put = api.put("api/me/preferences", user, """
                    {"emailDigests": true, "delayMinutes": 30, "quietHours": {"start": "22:00", "end": "07:00"},
                     "timeZone": "Europe/Berlin"}""");
            assertThat(put.status()).as(put.body().toString()).isEqualTo(200);
            assertThat(api.get("api/me/preferences", user).body().toString()).isEqualTo(
                    "{\"emailDigests\":true,\"delayMinutes\":30,\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\"},"
                            + "\"timeZone\":\"Europe/Berlin\",\"hasEmail\":false}");
            var cases = Map.of(
                    "{\"delayMinutes\": 5}", "invalid_preferences",
                    "{\"emailDigests\": \"yes\"}", "invalid_preferences",
                    "{\"emailDigests\": true, \"delayMinutes\": 0}", "invalid_delay",
                    "{\"emailDigests\": true, \"delayMinutes\": 1441}", "invalid_delay",
                    "{\"emailDigests\": true, \"quietHours\": {\"start\": \"25:00\", \"end\": \"07:00\"}}", "invalid_quiet_hours",
                    "{\"emailDigests\": true, \"quietHours\": {\"start\": \"07:00\", \"end\": \"07:00\"}}", "invalid_quiet_hours",
                    "{\"emailDigests\": true, \"timeZone\": \"Mars/Olympus\"}", "invalid_time_zone",
                    "{\"emailDigests\": true, \"colour\": \"red\"}", "invalid_field",
                    "[]", "bad_json");
            cases.forEach((body, code) -> {
                var refused = api.put("api/me/preferences", user, body);
                assertThat(refused.status()).as(body).isEqualTo(400);
                assertThat(refused.errorCode()).as(body).isEqualTo(code);
            });
            assertThat(api.put("api/me/preferences", null, "{}").status()).isEqualTo(401);
            var admin = api.loginWithRoles("host-site", "admin");
            var badEmail = api.put("api/admin/users/someone", admin,
                    "{\"displayName\": \"Some One\", \"role\": \"seeker\", \"email\": \"not an address\"}");
            assertThat(badEmail.status()).isEqualTo(400);
            assertThat(badEmail.errorCode()).isEqualTo("invalid_email");
            // outside the development run there is no captured mail to show
            assertThat(api.get("dev/mail", null).status()).isEqualTo(404);
        }
    }

    @Test
    void theDevelopmentRunWithoutSmtpShowsItsMailAtDevMail(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dataDir)
            throws Exception {
        try (var app = TestServers.withEmbeddedDatabaseIn(dataDir, Map.of("HIRECHAT_NOTIFY_DELAY", "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            send(api, api.login("seeker"), conversation, "shown, not sent");
            var mail = await().atMost(Duration.ofSeconds(30)).until(
                    () -> api.get("dev/mail?format=json", null).body().path("mail"), list -> list.size() == 1);
            assertThat(mail.get(0).path("to").asText()).isEqualTo(RECRUITER_MAIL);
            assertThat(mail.get(0).path("subject").asText())
                    .isEqualTo("New message from Sam Seeker about Senior Java Engineer");
            var page = HTTP.send(HttpRequest.newBuilder(app.uri().resolve("dev/mail")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("New message from Sam Seeker").doesNotContain("shown, not sent");
            assertThat(SMTP.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void quietHoursPostponeTheDigestToTheirEnd() {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            // quiet from an hour ago until two hours from now, in Tokyo's time
            var zone = java.time.ZoneId.of("Asia/Tokyo");
            var now = java.time.ZonedDateTime.now(zone).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            var start = now.minusHours(1).toLocalTime();
            var end = now.plusHours(2).toLocalTime();
            var quiet = api.put("api/me/preferences", api.login("recruiter"), """
                    {"emailDigests": true, "quietHours": {"start": "%s", "end": "%s"}, "timeZone": "Asia/Tokyo"}"""
                    .formatted(start, end));
            assertThat(quiet.status()).as(quiet.body().toString()).isEqualTo(200);
            send(api, api.login("seeker"), conversation, "at night");
            // the deadline waits for the end of the quiet hours, not for the second of the delay
            var due = await().atMost(Duration.ofSeconds(10)).until(() -> db.withHandle(h -> h.createQuery(
                            "SELECT execution_time FROM scheduled_tasks WHERE task_name = 'AxonDeadline'")
                    .mapTo(java.time.OffsetDateTime.class).findOne()), java.util.Optional::isPresent).orElseThrow();
            assertThat(due.toInstant()).isEqualTo(now.plusHours(2).toInstant());
            assertThat(digests(db)).isEmpty();
        }
    }

    @Test
    void anAddressTheMailLibraryRefusesFailsOnceWithItsReasonAndIsNotRetried() {
        var database = TestServers.freshDatabase();
        var db = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, settings(SMTP.getSmtp().getPort(), "PT1S"))) {
            var api = new ApiClient(app.uri());
            var conversation = conversationWithRecruiter(api);
            var admin = api.loginWithRoles("host-site", "admin");
            assertThat(api.put("api/admin/users/recruiter", admin,
                    "{\"displayName\": \"Rita at Acme\", \"role\": \"recruiter\", \"email\": \"rita..acme@example.com\"}")
                    .status()).isEqualTo(204);
            send(api, api.login("seeker"), conversation, "to a bad address");
            await().atMost(Duration.ofSeconds(20)).until(() -> digests(db), rows -> rows.size() == 1
                    && "FAILED".equals(rows.getFirst().get("status")));
            assertThat((String) digests(db).getFirst().get("reason")).startsWith("invalid address");
            // finished: no send task is left to try again
            int sendsLeft = db.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'hirechat-digest-send'")
                    .mapTo(Integer.class).one());
            assertThat(sendsLeft).isZero();
            assertThat(SMTP.getReceivedMessages()).isEmpty();
        }
    }

    @Test
    void everyCodeTheDigestsAnswerIsListedUnder400InApiMd() throws Exception {
        var table = java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "docs", "api.md")).stream()
                .filter(line -> line.startsWith("| 400 |")).findFirst().orElseThrow();
        for (var code : List.of("invalid_email", "invalid_preferences", "invalid_delay", "invalid_quiet_hours",
                "invalid_time_zone", "invalid_unsubscribe_token", "invalid_field")) {
            assertThat(table).as(code).contains("`" + code + "`");
        }
    }

    private static int deadlines(Jdbi db) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM scheduled_tasks WHERE task_name = 'AxonDeadline'")
                .mapTo(Integer.class).one());
    }
}
