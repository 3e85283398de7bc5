package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.hirechat.projections.TestDatabase;

/**
 * A snapshot written before the aggregate's state changed shape is not read: the conversation is rebuilt from its
 * events, so nothing a renamed field held (here: which sends were already accepted) is lost.
 */
class SnapshotRevisionTest {

    @Test
    void aSnapshotOfAnEarlierShapeIsSkippedAndRetriesStayIdempotent() {
        var database = TestServers.freshDatabase();
        String conversation;
        try (var first = TestServers.on(database, Map.of())) {
            var api = new ApiClient(first.uri());
            var seeker = api.login("seeker");
            conversation = api.startConversation(seeker, "recruiter");
            assertThat(api.post("api/conversations/" + conversation + "/messages", seeker,
                    "{\"clientMessageId\":\"m-1\",\"text\":\"hello\"}").body().path("seq").asLong()).isEqualTo(1);
        }
        var store = Jdbi.create(TestDatabase.dataSource(database));
        writeSnapshotOfRevisionOne(store, conversation);

        try (var second = TestServers.on(database, Map.of())) {
            var api = new ApiClient(second.uri());
            var retried = api.post("api/conversations/" + conversation + "/messages", api.login("seeker"),
                    "{\"clientMessageId\":\"m-1\",\"text\":\"hello\"}");
            assertThat(retried.status()).isEqualTo(200);
            // read into today's fields, that snapshot would have remembered no accepted send: seq 2, a duplicate
            assertThat(retried.body().path("seq").asLong()).isEqualTo(1);
            var next = api.post("api/conversations/" + conversation + "/messages", api.login("recruiter"),
                    "{\"clientMessageId\":\"m-1\",\"text\":\"hi there\"}");
            assertThat(next.body().path("seq").asLong()).isEqualTo(2);
        }
        int stored = store.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", conversation).mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(3);
    }

    /** A snapshot as the aggregate wrote them before it had a revision: idempotency keyed by client id alone. */
    private static void writeSnapshotOfRevisionOne(Jdbi store, String conversation) {
        store.useHandle(h -> {
            var lastHash = h.createQuery("""
                            SELECT convert_from(meta_data, 'UTF8')::json ->> 'chainHash' FROM domain_event_entry
                            WHERE aggregate_identifier = :id ORDER BY sequence_number DESC LIMIT 1""")
                    .bind("id", conversation).mapTo(String.class).one();
            var payload = """
                    {"conversationId":"%s","kind":"DIRECT","participants":["recruiter","seeker"],"lastSeq":1,
                     "lastMessageSeq":1,"acceptedByClientMessageId":{"m-1":{"messageId":"%s","seq":1,
                     "sentAt":"2026-11-01T10:00:00Z"}},"messages":{},"readUpTo":{},"linkedJobs":[],"lastHash":"%s"}"""
                    .formatted(conversation, UUID.randomUUID(), lastHash);
            h.createUpdate("""
                            INSERT INTO snapshot_event_entry (aggregate_identifier, sequence_number, type,
                                event_identifier, meta_data, payload, payload_revision, payload_type, time_stamp)
                            VALUES (:id, 1, 'Conversation', :eventId, convert_to('{}', 'UTF8'),
                                convert_to(:payload, 'UTF8'), NULL, 'com.hirechat.domain.Conversation', :at)""")
                    .bind("id", conversation)
                    .bind("eventId", UUID.randomUUID().toString())
                    .bind("payload", payload)
                    .bind("at", Instant.now().toString())
                    .execute();
        });
    }
}
