package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.hirechat.infra.erasure.HoldLock;
import com.hirechat.projections.TestDatabase;

/**
 * Legal holds and retention on one node (docs/compliance.md#legal-hold, #retention): a hold defers erasure and
 * expiry, its release carries them out; a retention dry run changes nothing, a real run destroys the keys of
 * conversations inactive for longer than their kind's days. Time is the test's: runs are given their "now".
 */
class LegalHoldAndRetentionTest {

    private static TestDatabase.Coordinates database;
    private static Jdbi db;
    private static ChatApplication app;
    private static ApiClient api;
    private static String auditor;

    @BeforeAll
    static void start() {
        database = TestServers.freshDatabase();
        db = Jdbi.create(TestDatabase.dataSource(database));
        // a day between scheduled runs: only the one at start happens during the test, with the real clock
        app = TestServers.on(database, Map.of("HIRECHAT_RETENTION_DIRECT_DAYS", "30",
                "HIRECHAT_RETENTION_GROUP_DAYS", "90", "HIRECHAT_RETENTION_CHECK_INTERVAL", "P1D"));
        api = new ApiClient(app.uri());
        auditor = api.loginWithRoles("auditor", "compliance");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void aHoldOnAUserDefersTheirErasureAndItsReleaseCarriesItOut() {
        var seeker = name("seeker");
        var conversation = converse(seeker, name("recruiter"));
        var hold = placeHold("USER", seeker, "MATTER-2026/17");
        assertThat(hold.path("active").asBoolean()).isTrue();

        var refused = api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"Art. 17\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error").path("code").asText()).isEqualTo("erasure_held");
        assertThat(refused.body().path("error").path("message").asText()).contains("MATTER-2026/17", "deferred");
        // their words in the conversation (a token login stores no profile, so no profile key)
        assertThat(liveKeysOf(seeker)).isEqualTo(1);
        assertThat(pendingDeferrals("USER", seeker)).isEqualTo(1);
        // asking again while held adds nothing
        api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"Art. 17 again\"}");
        assertThat(pendingDeferrals("USER", seeker)).isEqualTo(1);

        var listed = api.get("api/compliance/holds", auditor).body().path("holds");
        assertThat(find(listed, hold.path("holdId").asText()).path("matter").asText()).isEqualTo("MATTER-2026/17");

        var released = api.delete("api/compliance/holds/" + hold.path("holdId").asText(), auditor);
        assertThat(released.status()).as(released.body().toString()).isEqualTo(200);
        assertThat(released.body().path("active").asBoolean()).isFalse();
        assertThat(released.body().path("releasedBy").asText()).isEqualTo("auditor");
        assertThat(texts(released.body().path("carriedOut"))).contains("USER:" + seeker);
        assertThat(liveKeysOf(seeker)).isZero();
        assertThat(pendingDeferrals("USER", seeker)).isZero();
        assertThat(eventsOf("user:" + seeker, "UserErased")).hasSize(1);
        // hold and release are events of the hold's own stream, naming the matter and nothing personal
        assertThat(eventsOf("hold:" + hold.path("holdId").asText(), "LegalHoldPlaced")).hasSize(1);
        assertThat(eventsOf("hold:" + hold.path("holdId").asText(), "LegalHoldReleased")).singleElement()
                .satisfies(payload -> assertThat(payload).contains("MATTER-2026/17"));
        assertThat(conversation).isNotBlank();

        var again = api.delete("api/compliance/holds/" + hold.path("holdId").asText(), auditor);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body().path("error").path("code").asText()).isEqualTo("hold_released");
    }

    @Test
    void aReleaseThatStoppedAfterItsEventIsFinishedByReleasingAgain() {
        var seeker = name("seeker");
        converse(seeker, name("recruiter"));
        var hold = placeHold("USER", seeker, "M-CRASH");
        var holdId = hold.path("holdId").asText();
        api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"Art. 17\"}");
        assertThat(api.delete("api/compliance/holds/" + holdId, auditor).status()).isEqualTo(200);
        // as if the process had stopped after storing LegalHoldReleased, before the row and the deferred erasure
        db.useHandle(h -> h.createUpdate("UPDATE legal_holds SET released_at = NULL, released_by = NULL "
                + "WHERE hold_id = CAST(:id AS uuid)").bind("id", holdId).execute());
        // they wrote again since, and an erasure of that was deferred under the (apparently still active) hold
        converse(seeker, name("recruiter"));
        db.useHandle(h -> h.createUpdate("""
                INSERT INTO deferred_erasures (deferral_id, subject_kind, subject_id, requested_by, reason, matters,
                                               deferred_at)
                VALUES (gen_random_uuid(), 'USER', :user, 'auditor', 'Art. 17', 'M-CRASH', now())""")
                .bind("user", seeker).execute());
        assertThat(liveKeysOf(seeker)).isEqualTo(1);

        var finished = api.delete("api/compliance/holds/" + holdId, auditor);
        assertThat(finished.status()).as(finished.body().toString()).isEqualTo(200);
        assertThat(texts(finished.body().path("carriedOut"))).contains("USER:" + seeker);
        assertThat(liveKeysOf(seeker)).isZero();
        assertThat(eventsOf("hold:" + holdId, "LegalHoldReleased")).hasSize(1);
    }

    @Test
    void aHoldOnOneOfTheirConversationsDefersTheWholeErasure() {
        var seeker = name("seeker");
        var held = converse(seeker, name("recruiter"));
        converse(seeker, name("recruiter"));
        var hold = placeHold("CONVERSATION", held, "CASE-9");

        var refused = api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"Art. 17\"}");
        assertThat(refused.status()).isEqualTo(409);
        // nothing of theirs is destroyed, not even outside the held conversation: their keys go together or not at all
        assertThat(liveKeysOf(seeker)).isEqualTo(2);

        var released = api.delete("api/compliance/holds/" + hold.path("holdId").asText(), auditor);
        assertThat(texts(released.body().path("carriedOut"))).contains("USER:" + seeker);
        assertThat(liveKeysOf(seeker)).isZero();
    }

    @Test
    void twoHoldsOnTheSameErasureBothHaveToBeReleased() {
        var seeker = name("seeker");
        var conversation = converse(seeker, name("recruiter"));
        var onUser = placeHold("USER", seeker, "A-1");
        var onConversation = placeHold("CONVERSATION", conversation, "B-2");
        api.post("api/compliance/users/" + seeker + "/erasure", auditor, "{\"reason\":\"Art. 17\"}");

        var first = api.delete("api/compliance/holds/" + onUser.path("holdId").asText(), auditor).body();
        assertThat(texts(first.path("stillDeferred"))).contains("USER:" + seeker);
        assertThat(liveKeysOf(seeker)).isEqualTo(1);
        var second = api.delete("api/compliance/holds/" + onConversation.path("holdId").asText(), auditor).body();
        assertThat(texts(second.path("carriedOut"))).contains("USER:" + seeker);
        assertThat(liveKeysOf(seeker)).isZero();
    }

    @Test
    void badHoldRequestsGetTheirCodes() {
        var seeker = name("seeker");
        converse(seeker, name("recruiter"));
        assertError(api.post("api/compliance/holds", auditor, "{\"kind\":\"USER\",\"id\":\"" + seeker + "\"}"),
                400, "missing_field");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"USER\",\"id\":\"" + seeker + "\",\"matter\":\"Zora's salary talk\"}"), 400, "invalid_matter");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"TEAM\",\"id\":\"" + seeker + "\",\"matter\":\"M-1\"}"), 400, "invalid_field");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"USER\",\"id\":\"bad*id\",\"matter\":\"M-1\"}"), 400, "invalid_user_id");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"CONVERSATION\",\"id\":\"nope\",\"matter\":\"M-1\"}"), 400, "invalid_conversation_id");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"USER\",\"id\":\"nobody-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"matter\":\"M-1\"}"), 404, "unknown_user");
        assertError(api.post("api/compliance/holds", auditor,
                "{\"kind\":\"CONVERSATION\",\"id\":\"" + UUID.randomUUID() + "\",\"matter\":\"M-1\"}"), 404,
                "unknown_conversation");
        assertError(api.delete("api/compliance/holds/" + UUID.randomUUID(), auditor), 404, "unknown_hold");
        assertError(api.delete("api/compliance/holds/not-a-hold", auditor), 400, "invalid_hold_id");
        assertError(api.post("api/compliance/retention/runs?dryRun=maybe", auditor, "{}"), 400, "invalid_parameter");
        assertError(api.get("api/compliance/retention/runs?limit=0", auditor), 400, "invalid_parameter");
        // none of the refused holds was stored
        int stored = db.withHandle(h -> h.createQuery("SELECT count(*) FROM legal_holds WHERE matter = 'M-1'")
                .mapTo(Integer.class).one());
        assertThat(stored).isZero();
    }

    @Test
    void retentionDryRunListsAndChangesNothingARealRunExpiresAndAHoldDefersUntilReleased() {
        var quiet = converse(name("seeker"), name("recruiter"));
        var heldOne = converse(name("seeker"), name("recruiter"));
        var owner = name("recruiter");
        var group = api.post("api/conversations", api.login(owner), "{\"participants\":[\"" + name("seeker")
                + "\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        api.post("api/conversations/" + group + "/messages", api.login(owner),
                "{\"clientMessageId\":\"g-1\",\"text\":\"Welcome to the panel\"}");
        TestServers.awaitProjectionsCaughtUp(app.uri());
        var hold = placeHold("CONVERSATION", heldOne, "LIT-7");
        // a hold on a person covers every conversation they are in
        var heldPerson = name("seeker");
        var theirs = converse(heldPerson, name("recruiter"));
        var personHold = placeHold("USER", heldPerson, "LIT-8");
        var work = app.compliance();
        var in31Days = Instant.now().plus(Duration.ofDays(31));

        var dry = work.run(in31Days, true, "CLI", Optional.empty());
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.expired()).contains(quiet).doesNotContain(heldOne, group);
        assertThat(dry.deferred()).contains(heldOne, theirs);
        assertThat(liveKeysOfConversation(quiet)).isPositive();
        assertThat(eventsOf("retention:" + quiet, "ConversationExpired")).isEmpty();
        assertThat(pendingDeferrals("CONVERSATION", heldOne)).isZero();

        var real = work.run(in31Days, false, "CLI", Optional.empty());
        assertThat(real.expired()).contains(quiet).doesNotContain(heldOne, group);
        assertThat(liveKeysOfConversation(quiet)).isZero();
        assertThat(liveKeysOfConversation(heldOne)).isPositive();
        assertThat(liveKeysOfConversation(group)).isPositive();
        assertThat(pendingDeferrals("CONVERSATION", heldOne)).isEqualTo(1);
        assertThat(liveKeysOfConversation(theirs)).isPositive();
        assertThat(pendingDeferrals("CONVERSATION", theirs)).isEqualTo(1);
        var expired = eventsOf("retention:" + quiet, "ConversationExpired");
        assertThat(expired).singleElement().satisfies(payload -> {
            assertThat(payload).contains("DIRECT:30d");
            assertThat(payload).doesNotContain("hello from");
        });
        TestServers.awaitProjectionsCaughtUp(app.uri());
        boolean allPlaceholders = db.withHandle(h -> h.createQuery("""
                        SELECT bool_and(erased AND text = '') FROM message_history
                         WHERE conversation_id = CAST(:id AS uuid)""").bind("id", quiet).mapTo(Boolean.class).one());
        assertThat(allPlaceholders).isTrue();
        int plain = db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM message_history WHERE text LIKE 'hello from%' AND conversation_id = CAST(:id AS uuid)")
                .bind("id", quiet).mapTo(Integer.class).one());
        assertThat(plain).isZero();
        // the same run again finds nothing new to expire: the quiet one has no keys left
        assertThat(work.run(in31Days, false, "CLI", Optional.empty()).expired()).doesNotContain(quiet);

        var released = api.delete("api/compliance/holds/" + hold.path("holdId").asText(), auditor).body();
        assertThat(texts(released.path("carriedOut"))).contains("CONVERSATION:" + heldOne);
        assertThat(liveKeysOfConversation(heldOne)).isZero();
        assertThat(eventsOf("retention:" + heldOne, "ConversationExpired")).singleElement()
                .satisfies(payload -> assertThat(payload).contains("DIRECT:30d"));

        var personReleased = api.delete("api/compliance/holds/" + personHold.path("holdId").asText(), auditor).body();
        assertThat(texts(personReleased.path("carriedOut"))).contains("CONVERSATION:" + theirs);
        assertThat(liveKeysOfConversation(theirs)).isZero();

        // groups are kept for 90 days
        assertThat(work.run(Instant.now().plus(Duration.ofDays(91)), true, "CLI", Optional.empty()).expired())
                .contains(group);

        // every run is on file and listed, dry ones marked
        var runs = api.get("api/compliance/retention/runs?limit=500", auditor);
        assertThat(runs.status()).isEqualTo(200);
        var ids = texts(runs.body().path("runs").findValues("runId"));
        assertThat(ids).contains(dry.runId(), real.runId());
        var dryListed = find(runs.body().path("runs"), dry.runId(), "runId");
        assertThat(dryListed.path("dryRun").asBoolean()).isTrue();
        assertThat(dryListed.path("policy").asText()).isEqualTo("DIRECT:30d GROUP:90d");
        assertThat(dryListed.path("node").asText()).isNotBlank();

        // the API's dry run uses the server's clock: nothing is 30 days old, and it is recorded too
        var apiDry = api.post("api/compliance/retention/runs?dryRun=true", auditor, "{}");
        assertThat(apiDry.status()).isEqualTo(200);
        assertThat(apiDry.body().path("dryRun").asBoolean()).isTrue();
        assertThat(apiDry.body().path("trigger").asText()).isEqualTo("API");
    }

    @Test
    void aHoldCommittedWhileAnErasureWaitsToShredDefersIt() throws Exception {
        var seeker = name("seeker");
        converse(seeker, name("recruiter"));
        try (var blocker = HoldLockBlocker.take()) {
            // the hold is first in the lock's queue; the erasure passes its own check (no hold yet) and queues behind
            var placing = CompletableFuture.supplyAsync(() -> api.post("api/compliance/holds", auditor,
                    "{\"kind\":\"USER\",\"id\":\"" + seeker + "\",\"matter\":\"M-RACE-1\"}"));
            blocker.awaitWaiters(1);
            var erasing = CompletableFuture.supplyAsync(() -> api.post("api/compliance/users/" + seeker + "/erasure",
                    auditor, "{\"reason\":\"Art. 17\"}"));
            blocker.awaitWaiters(2);
            assertThat(incompleteRequests(seeker)).as("the erasure got past its check").isEqualTo(1);
            blocker.close();
            assertThat(placing.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertError(erasing.get(30, TimeUnit.SECONDS), 409, "erasure_held");
        }
        assertThat(liveKeysOf(seeker)).isEqualTo(1);
        assertThat(pendingDeferrals("USER", seeker)).isEqualTo(1);
        assertThat(incompleteRequests(seeker)).as("the request became the deferral").isZero();
        assertThat(eventsOf("user:" + seeker, "UserErased")).isEmpty();
    }

    @Test
    void anErasureThatTookTheLockFirstCompletesAndTheHoldComesAfter() throws Exception {
        var seeker = name("seeker");
        converse(seeker, name("recruiter"));
        try (var blocker = HoldLockBlocker.take()) {
            var erasing = CompletableFuture.supplyAsync(() -> api.post("api/compliance/users/" + seeker + "/erasure",
                    auditor, "{\"reason\":\"Art. 17\"}"));
            blocker.awaitWaiters(1);
            var placing = CompletableFuture.supplyAsync(() -> api.post("api/compliance/holds", auditor,
                    "{\"kind\":\"USER\",\"id\":\"" + seeker + "\",\"matter\":\"M-RACE-2\"}"));
            blocker.awaitWaiters(2);
            blocker.close();
            var erased = erasing.get(30, TimeUnit.SECONDS);
            assertThat(erased.status()).as(erased.body().toString()).isEqualTo(200);
            assertThat(placing.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        assertThat(liveKeysOf(seeker)).isZero();
        assertThat(pendingDeferrals("USER", seeker)).isZero();
        assertThat(eventsOf("user:" + seeker, "UserErased")).hasSize(1);
    }

    /** Holds {@link HoldLock} in a transaction of the test's own, so that the test decides who queues first. */
    private record HoldLockBlocker(Handle handle) implements AutoCloseable {

        static HoldLockBlocker take() {
            var handle = db.open();
            handle.begin();
            HoldLock.take(handle);
            return new HoldLockBlocker(handle);
        }

        void awaitWaiters(int count) {
            await().atMost(Duration.ofSeconds(20)).until(() -> db.withHandle(h -> h.createQuery("""
                            SELECT count(*) FROM pg_locks
                             WHERE locktype = 'advisory' AND NOT granted AND objsubid = 1
                               AND classid::bigint = :high AND objid::bigint = :low""")
                    .bind("high", HoldLock.KEY >>> 32).bind("low", HoldLock.KEY & 0xFFFF_FFFFL)
                    .mapTo(Integer.class).one()) == count);
        }

        @Override
        public void close() {
            if (handle.isClosed()) {
                return;
            }
            if (handle.isInTransaction()) {
                handle.rollback();
            }
            handle.close();
        }
    }

    private static int incompleteRequests(String user) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM erasure_requests
                         WHERE subject_kind = 'USER' AND subject_id = :user AND completed_at IS NULL""")
                .bind("user", user).mapTo(Integer.class).one());
    }

    private static JsonNode placeHold(String kind, String id, String matter) {
        var placed = api.post("api/compliance/holds", auditor,
                "{\"kind\":\"" + kind + "\",\"id\":\"" + id + "\",\"matter\":\"" + matter + "\"}");
        assertThat(placed.status()).as(placed.body().toString()).isEqualTo(201);
        return placed.body();
    }

    private static String converse(String seeker, String recruiter) {
        var seekerToken = api.login(seeker);
        var conversation = api.startConversation(seekerToken, recruiter);
        assertThat(api.post("api/conversations/" + conversation + "/messages", seekerToken,
                "{\"clientMessageId\":\"s-1\",\"text\":\"hello from " + seeker + "\"}").status()).isEqualTo(200);
        assertThat(api.post("api/conversations/" + conversation + "/messages", api.login(recruiter),
                "{\"clientMessageId\":\"r-1\",\"text\":\"hello from " + recruiter + "\"}").status()).isEqualTo(200);
        TestServers.awaitProjectionsCaughtUp(app.uri());
        return conversation;
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static int liveKeysOf(String user) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT count(*) FROM data_keys WHERE user_id = :user AND wrapped_key IS NOT NULL")
                .bind("user", user).mapTo(Integer.class).one());
    }

    private static int liveKeysOfConversation(String conversation) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM data_keys
                         WHERE conversation_id = CAST(:id AS uuid) AND wrapped_key IS NOT NULL""")
                .bind("id", conversation).mapTo(Integer.class).one());
    }

    private static int pendingDeferrals(String kind, String subject) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM deferred_erasures
                         WHERE subject_kind = :kind AND subject_id = :subject AND carried_out_at IS NULL""")
                .bind("kind", kind).bind("subject", subject).mapTo(Integer.class).one());
    }

    private static List<String> eventsOf(String stream, String type) {
        return db.withHandle(h -> h.createQuery("""
                        SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                         WHERE aggregate_identifier = :stream AND payload_type = :type ORDER BY sequence_number""")
                .bind("stream", stream).bind("type", "com.hirechat.domain." + type).mapTo(String.class).list());
    }

    private static JsonNode find(JsonNode list, String id) {
        return find(list, id, "holdId");
    }

    private static JsonNode find(JsonNode list, String id, String field) {
        for (var item : list) {
            if (item.path(field).asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + list);
    }

    private static List<String> texts(JsonNode array) {
        var texts = new java.util.ArrayList<String>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> texts(List<JsonNode> nodes) {
        return nodes.stream().map(JsonNode::asText).toList();
    }

    private static void assertError(ApiClient.Response response, int status, String code) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(status);
        assertThat(response.body().path("error").path("code").asText()).as(response.body().toString()).isEqualTo(code);
    }
}
