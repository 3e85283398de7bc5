package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The analysts' schema fills from real traffic, its documented queries run, and its role sees nothing else. */
class AnalyticsTest {

    @Test
    void analystsQueryTheDocumentedSchemaAndNothingElse() throws Exception {
        var database = TestServers.freshDatabase();
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var admin = api.loginWithRoles("host-site", "admin");
            api.put("api/admin/users/sam", admin, "{\"displayName\":\"Sam\",\"role\":\"seeker\"}");
            api.put("api/admin/users/rita", admin, "{\"displayName\":\"Rita\",\"role\":\"recruiter\"}");
            var db = Jdbi.create(app.dataSource());
            await().atMost(Duration.ofSeconds(10)).until(() -> db.withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM user_profiles").mapTo(Integer.class).one()) == 2);

            var sam = api.login("sam");
            var rita = api.login("rita");
            var conversation = api.post("api/conversations", sam,
                    "{\"with\":\"rita\",\"job\":{\"id\":\"job-42\",\"title\":\"Java Engineer\"}}").body()
                    .path("conversationId").asText();
            post(api, sam, conversation, "s1", "Hello Rita, is the role open?");
            post(api, sam, conversation, "s2", "I have five years of Java.");
            post(api, rita, conversation, "r1", "Yes! Let us talk.");

            var row = await().atMost(Duration.ofSeconds(10)).until(() -> db.withHandle(h -> h.createQuery("""
                            SELECT message_count || ' ' || seeker_message_count || ' ' || recruiter_message_count
                                   || ' ' || first_job_id || ' ' || (first_response_seconds >= 0)
                              FROM analytics.conversations WHERE conversation_id = CAST(:c AS uuid)""")
                    .bind("c", conversation).mapTo(String.class).findOne().orElse("")),
                    text -> text.startsWith("3 "));
            assertThat(row).isEqualTo("3 2 1 job-42 true");

            var analyst = "analyst_" + UUID.randomUUID().toString().substring(0, 8);
            db.useHandle(h -> h.execute("CREATE ROLE " + analyst + " LOGIN PASSWORD 'pw' IN ROLE hirechat_analyst"));
            // the test database's URL names its owner; the analyst connects as themselves
            var url = database.jdbcUrl().replaceFirst("\\?.*$", "");
            try (var connection = DriverManager.getConnection(url, analyst, "pw")) {
                try (var statement = connection.createStatement(); var who = statement.executeQuery("SELECT current_user")) {
                    who.next();
                    assertThat(who.getString(1)).isEqualTo(analyst);
                }
                for (var query : documentedQueries()) {
                    try (var statement = connection.createStatement(); var result = statement.executeQuery(query)) {
                        assertThat(result.next()).as("rows from %s", query).isTrue();
                    }
                }
                for (var forbidden : List.of("message_history", "contacts", "domain_event_entry", "user_profiles")) {
                    assertThatThrownBy(() -> {
                        try (var statement = connection.createStatement()) {
                            statement.executeQuery("SELECT * FROM " + forbidden);
                        }
                    }).as(forbidden).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
                }
            } finally {
                db.useHandle(h -> h.execute("DROP ROLE " + analyst));
            }
        }
    }

    private static void post(ApiClient api, String token, String conversation, String id, String text) {
        var ack = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + id + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).isEqualTo(200);
    }

    /** The SQL blocks of docs/analytics.md, exactly as an analyst would copy them. */
    private static List<String> documentedQueries() throws Exception {
        var doc = Files.readString(Path.of("..", "docs", "analytics.md"));
        var matcher = Pattern.compile("```sql\\n(.*?)```", Pattern.DOTALL).matcher(doc);
        var queries = new ArrayList<String>();
        while (matcher.find()) {
            queries.add(matcher.group(1).strip().replaceAll(";$", ""));
        }
        assertThat(queries).hasSizeGreaterThanOrEqualTo(4);
        return queries;
    }
}
