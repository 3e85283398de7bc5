package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default local run: embedded PostgreSQL in a data directory; everything survives a full restart. */
class RestartTest {

    private static final int MESSAGES = 260;

    @TempDir
    Path dataDir;

    @Test
    void historyContactsAndConversationStateSurviveAFullRestart() {
        String conversation;
        try (var first = TestServers.withEmbeddedDatabaseIn(dataDir)) {
            var api = new ApiClient(first.uri());
            // the default local run signs people in by name
            var token = api.devLogin("seeker");
            conversation = api.startConversation(token, "recruiter");
            for (int i = 1; i <= MESSAGES; i++) {
                var ack = api.post("api/conversations/" + conversation + "/messages", token,
                        "{\"clientMessageId\":\"m-" + i + "\",\"text\":\"message " + i + "\"}");
                assertThat(ack.body().path("seq").asLong()).isEqualTo(i);
            }
            await().atMost(Duration.ofSeconds(20)).until(
                    () -> api.get("api/contacts", api.login("recruiter")).body().path("contacts").path(0)
                            .path("lastSeq").asLong() == MESSAGES);
            // snapshots are taken on their own thread after the triggering command committed
            var store = Jdbi.create(first.dataSource());
            await("a long conversation is snapshotted").atMost(Duration.ofSeconds(20)).until(
                    () -> store.withHandle(h -> h.createQuery("SELECT count(*) FROM snapshot_event_entry")
                            .mapTo(Integer.class).one()) > 0);
        }

        try (var second = TestServers.withEmbeddedDatabaseIn(dataDir)) {
            var api = new ApiClient(second.uri());
            var recruiter = api.login("recruiter");

            var newest = api.get("api/conversations/" + conversation + "/messages?limit=200", recruiter);
            assertThat(newest.status()).isEqualTo(200);
            assertThat(newest.body().path("messages")).hasSize(200);
            assertThat(newest.body().path("messages").get(0).path("text").asText()).isEqualTo("message " + MESSAGES);
            var older = api.get("api/conversations/" + conversation + "/messages?limit=200&before="
                    + newest.body().path("nextBefore").asLong(), recruiter);
            assertThat(older.body().path("messages")).hasSize(MESSAGES - 200);
            assertThat(older.body().path("messages").get(MESSAGES - 201).path("text").asText()).isEqualTo("message 1");

            var contacts = api.get("api/contacts", recruiter).body().path("contacts");
            assertThat(contacts).hasSize(1);
            assertThat(contacts.get(0).path("unreadCount").asInt()).isEqualTo(MESSAGES);

            // the aggregate comes back from its snapshot: numbering goes on and old client ids are remembered
            var seeker = api.login("seeker");
            var next = api.post("api/conversations/" + conversation + "/messages", seeker,
                    "{\"clientMessageId\":\"after-restart\",\"text\":\"still here?\"}");
            assertThat(next.body().path("seq").asLong()).isEqualTo(MESSAGES + 1);
            var retried = api.post("api/conversations/" + conversation + "/messages", seeker,
                    "{\"clientMessageId\":\"m-1\",\"text\":\"message 1\"}");
            assertThat(retried.body().path("seq").asLong()).isEqualTo(1);

            // the hash chain carried on from the snapshot: every link holds
            var verified = api.get("api/compliance/conversations/" + conversation + "/verify?reason=restart%20test",
                    api.loginWithRoles("auditor", "compliance")).body();
            assertThat(verified.path("intact").asBoolean()).isTrue();
            assertThat(verified.path("checkedEvents").asLong()).isEqualTo(MESSAGES + 2);
        }
    }
}
