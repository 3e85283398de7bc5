package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.json.JacksonSerializer;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.commands.DomainJson;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.EventHash;
import com.hirechat.infra.crypto.KeyRing;
import com.hirechat.infra.crypto.SealingSerializer;
import com.hirechat.projections.TestDatabase;

/**
 * A store written before chain scheme 2 keeps verifying by the old rule, new events chain on from it by scheme 2,
 * and scheme 2 answers to the stored bytes, not to what the code makes of them.
 */
class ChainSchemesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void schemeOneLinksVerifyByTheOldRuleAndNewEventsChainOnByScheme2() throws Exception {
        var database = TestServers.freshDatabase();
        String conversation;
        String seeker;
        try (var before = TestServers.on(database, Map.of())) {
            var api = new ApiClient(before.uri());
            seeker = api.login("old-seeker");
            conversation = api.startConversation(seeker, "old-recruiter");
            send(api, conversation, seeker, "written by the old version");
            send(api, conversation, seeker, "so was this");
        }
        // the rows as the version before scheme 2 stored them: same payloads, links by the record text, no scheme
        assertThat(rewriteAsSchemeOne(database, conversation)).isEqualTo(3);

        try (var after = TestServers.on(database, Map.of())) {
            var api = new ApiClient(after.uri());
            seeker = api.login("old-seeker");
            send(api, conversation, seeker, "written by this version");
            send(api, conversation, seeker, "and this");
            var auditor = api.loginWithRoles("auditor", "compliance");

            var verified = api.get(verifyPath(conversation), auditor).body();
            assertThat(verified.path("intact").asBoolean()).isTrue();
            assertThat(verified.path("checkedEvents").asLong()).isEqualTo(5);
            assertThat(verified.path("firstBrokenSeq").isNull()).isTrue();
            assertThat(verified.path("schemes")).isEqualTo(JSON.readTree(
                    "[{\"scheme\":1,\"fromSeq\":0,\"toSeq\":2},{\"scheme\":2,\"fromSeq\":3,\"toSeq\":4}]"));

            // the mixed export verifies with the auditor's own script too: scheme-1 lines by their record text
            var export = download(after, conversation, auditor);
            assertThat(IndependentExportVerifier.firstBadLine(export)).isZero();
            assertThat(JSON.readTree(export.lines().toList().get(2)).path("chain").path("recordText").asText())
                    .startsWith("MessageSent[");

            // one byte of a scheme-2 payload changed (its sealed text: the text itself is not stored): broken at
            // that seq, the links before it still hold
            alterPayload(database, conversation, 4, "\"ciphertext\":\"", "\"ciphertext\":\"A");
            var broken = api.get(verifyPath(conversation), auditor).body();
            assertThat(broken.path("intact").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenSeq").asLong()).isEqualTo(4);
            assertThat(broken.path("checkedEvents").asLong()).isEqualTo(4);
            assertThat(IndependentExportVerifier.firstBadLine(download(after, conversation, auditor))).isEqualTo(5);
        }
    }

    @Test
    void schemeTwoCoversTheStoredBytesNotTheCodesReadingOfThem() throws Exception {
        var database = TestServers.freshDatabase();
        try (var app = TestServers.on(database, Map.of())) {
            var api = new ApiClient(app.uri());
            var seeker = api.login("bytes-seeker");
            var conversation = api.startConversation(seeker, "bytes-recruiter");
            send(api, conversation, seeker, "the stored bytes count");
            send(api, conversation, seeker, "not the record text");
            var auditor = api.loginWithRoles("auditor", "compliance");
            assertThat(api.get(verifyPath(conversation), auditor).body().path("intact").asBoolean()).isTrue();

            // the same JSON written differently (spacing): the canonical form, and so the chain, is unchanged
            alterPayload(database, conversation, 1, "\"text\":", "\"text\" :  ");
            assertThat(api.get(verifyPath(conversation), auditor).body().path("intact").asBoolean()).isTrue();

            // a member the code ignores when reading (its event and record text stay the same) is still a change
            // to the record: scheme 1 could not see it, scheme 2 does
            var before = readEvent(database, conversation, 2).toString();
            alterPayload(database, conversation, 2, "\"text\":", "\"note\":\"added later\",\"text\":");
            assertThat(readEvent(database, conversation, 2).toString()).isEqualTo(before);
            var broken = api.get(verifyPath(conversation), auditor).body();
            assertThat(broken.path("intact").asBoolean()).isFalse();
            assertThat(broken.path("firstBrokenSeq").asLong()).isEqualTo(2);
        }
    }

    private static void send(ApiClient api, String conversation, String token, String text) {
        var ack = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).isEqualTo(200);
    }

    private static String verifyPath(String conversation) {
        return "api/compliance/conversations/" + conversation + "/verify?reason=audit";
    }

    private static String download(ChatApplication app, String conversation, String token) throws Exception {
        var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.uri()
                        + "api/compliance/conversations/" + conversation + "/export?format=jsonl&reason=audit"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static void alterPayload(TestDatabase.Coordinates database, String conversation, long seq, String from,
                                     String to) {
        int altered = Jdbi.create(TestDatabase.dataSource(database)).withHandle(h -> h.createUpdate("""
                        UPDATE domain_event_entry
                           SET payload = convert_to(replace(convert_from(payload, 'UTF8'), :from, :to), 'UTF8')
                         WHERE aggregate_identifier = :id AND sequence_number = :seq
                           AND position(:from IN convert_from(payload, 'UTF8')) > 0""")
                .bind("from", from).bind("to", to).bind("id", conversation).bind("seq", seq).execute());
        assertThat(altered).isEqualTo(1);
    }

    /** The stored event as the code reads it (unknown members ignored, as the event store's mapper does). */
    private static ConversationEvent readEvent(TestDatabase.Coordinates database, String conversation, long seq)
            throws Exception {
        var row = Jdbi.create(TestDatabase.dataSource(database)).withHandle(h -> h.createQuery("""
                        SELECT payload_type, payload FROM domain_event_entry
                         WHERE aggregate_identifier = :id AND sequence_number = :seq""")
                .bind("id", conversation).bind("seq", seq)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBytes(2))).one());
        // through the store's serializer: texts are sealed at the store boundary
        var serializer = new SealingSerializer(JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build(),
                new KeyRing(TestDatabase.dataSource(database), TestKeys.master()));
        return serializer.deserialize(new SimpleSerializedObject<>(row.getValue(), byte[].class,
                new SimpleSerializedType(row.getKey(), null)));
    }

    /**
     * Rewrites a conversation's links the way the code before scheme 2 computed them (the frozen rule, over the
     * event's record text) and drops the scheme from their metadata; returns the rows rewritten.
     */
    private static int rewriteAsSchemeOne(TestDatabase.Coordinates database, String conversation) throws Exception {
        var jdbi = Jdbi.create(TestDatabase.dataSource(database));
        List<Map.Entry<Long, byte[]>> metadata = jdbi.withHandle(h -> h.createQuery("""
                        SELECT sequence_number, meta_data FROM domain_event_entry
                         WHERE aggregate_identifier = :id ORDER BY sequence_number""")
                .bind("id", conversation).map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list());
        var previous = EventHash.GENESIS;
        for (var row : metadata) {
            var hash = EventHash.schemeOne(previous, readEvent(database, conversation, row.getKey()));
            ObjectNode meta = (ObjectNode) JSON.readTree(row.getValue());
            meta.remove(EventHash.SCHEME_KEY);
            meta.put(EventHash.KEY, hash);
            var bytes = JSON.writeValueAsBytes(meta);
            jdbi.useHandle(h -> h.createUpdate("""
                            UPDATE domain_event_entry SET meta_data = :meta
                             WHERE aggregate_identifier = :id AND sequence_number = :seq""")
                    .bind("meta", bytes).bind("id", conversation).bind("seq", row.getKey()).execute());
            previous = hash;
        }
        return metadata.size();
    }
}
