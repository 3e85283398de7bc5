package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hirechat.domain.Conversation;
import com.hirechat.projections.TestDatabase;

/**
 * A conversation far longer than the messages its aggregate remembers, across restarts (so the aggregate is loaded
 * again from a snapshot and events): its first message is still retried, edited and redacted exactly, through the
 * message ledger in PostgreSQL, and its snapshot does not grow with it.
 */
class BoundedAggregateTest {

    private static final int REMEMBERED = Conversation.RECENT_MESSAGES;

    @Test
    void oldMessagesAreJudgedExactlyAfterRestarts() {
        var database = TestServers.freshDatabase();
        var store = Jdbi.create(TestDatabase.dataSource(database));
        String conversation;
        JsonNode firstAck;
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("seeker");
            conversation = api.startConversation(seeker, "recruiter");
            firstAck = send(api, conversation, seeker, "c-1").body();
            for (int i = 2; i <= 3 * REMEMBERED; i++) {
                send(api, conversation, seeker, "c-" + i);
            }
        }
        int stored = events(store, conversation);

        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("seeker");
            var recruiter = api.login("recruiter");
            // message 1 is no longer in the aggregate: the retry is answered from the ledger with the original ack
            var retry = send(api, conversation, seeker, "c-1");
            assertThat(retry.body()).isEqualTo(firstAck);
            assertThat(events(store, conversation)).isEqualTo(stored);
            // the same client id by the other participant is a message of its own
            var others = send(api, conversation, recruiter, "c-1");
            assertThat(others.body().path("messageId")).isNotEqualTo(firstAck.path("messageId"));
            assertThat(others.body().path("seq").asLong()).isEqualTo(stored);

            var message1 = message(conversation, firstAck.path("messageId").asText());
            assertThat(api.patch(message1, recruiter, "{\"text\":\"not mine\"}").errorCode()).isEqualTo("not_the_author");
            assertThat(api.patch(message1, seeker, "{\"text\":\"edited\"}").status()).isEqualTo(204);
            assertThat(api.delete(message1, seeker).status()).isEqualTo(204);
        }

        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("seeker");
            var message1 = message(conversation, firstAck.path("messageId").asText());
            // the redaction of an old message is remembered by the ledger, not by the reloaded aggregate
            assertThat(api.patch(message1, seeker, "{\"text\":\"back\"}").errorCode()).isEqualTo("message_redacted");
            int before = events(store, conversation);
            assertThat(api.delete(message1, seeker).status()).isEqualTo(204);
            assertThat(events(store, conversation)).isEqualTo(before);
            // and message 1 is still answered with its original ack after all of this
            assertThat(send(api, conversation, seeker, "c-1").body()).isEqualTo(firstAck);
        }
        int ledgerRows = store.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM message_ledger WHERE conversation_id = :id")
                .bind("id", conversation).mapTo(Integer.class).one());
        assertThat(ledgerRows).isEqualTo(3 * REMEMBERED + 1);
    }

    @Test
    void theSnapshotStopsGrowingWithTheConversation() {
        var database = TestServers.freshDatabase();
        var store = Jdbi.create(TestDatabase.dataSource(database));
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("seeker");
            var conversation = api.startConversation(seeker, "recruiter");
            // the first snapshot is taken after 250 events, the next once the conversation has doubled
            int sent = 0;
            while (sent < 260) {
                send(api, conversation, seeker, "c-" + ++sent);
            }
            var first = awaitSnapshotAfter(store, conversation, 0);
            while (sent < 520) {
                send(api, conversation, seeker, "c-" + ++sent);
            }
            var second = awaitSnapshotAfter(store, conversation, first.seq());
            // both hold a full memory of recent messages; the second, at least 3 memories' worth of messages long
            assertThat(first.seq()).isGreaterThan(REMEMBERED);
            assertThat(second.seq()).isGreaterThanOrEqualTo(3 * REMEMBERED);
            // about twice the messages: a snapshot that kept every message would be about twice the size
            assertThat(second.bytes()).isLessThanOrEqualTo(first.bytes() + first.bytes() / 10);
        }
    }

    private record Snapshot(long seq, long bytes) {
    }

    private static Snapshot awaitSnapshotAfter(Jdbi store, String conversation, long seq) {
        // taken on the snapshotter thread after the commit: waited for by polling the table, not by sleeping
        return await().atMost(Duration.ofSeconds(30)).until(() -> store.withHandle(h -> h.createQuery("""
                        SELECT sequence_number, length(payload) FROM snapshot_event_entry
                        WHERE aggregate_identifier = :id ORDER BY sequence_number DESC LIMIT 1""")
                .bind("id", conversation).map((rows, ctx) -> new Snapshot(rows.getLong(1), rows.getLong(2)))
                .findOne().orElse(new Snapshot(-1, 0))), snapshot -> snapshot.seq() > seq);
    }

    private static ApiClient.Response send(ApiClient api, String conversation, String token, String clientId) {
        var response = api.post(message(conversation, ""), token,
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":\"message " + clientId + "\"}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    private static String message(String conversation, String messageId) {
        return "api/conversations/" + conversation + "/messages" + (messageId.isEmpty() ? "" : "/" + messageId);
    }

    private static int events(Jdbi store, String conversation) {
        return store.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", conversation).mapTo(Integer.class).one());
    }
}
