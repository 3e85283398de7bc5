package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Job links, profiles, groups, edits, redactions, read state and typing over real HTTP and WebSockets. */
class ConversationModelEndToEndTest {

    private static ChatApplication app;
    private static ApiClient api;
    private static Jdbi db;

    @BeforeAll
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        db = Jdbi.create(app.dataSource());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String unique(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String conversationPath(String conversation) {
        return "api/conversations/" + conversation;
    }

    private static JsonNode awaitJson(java.util.concurrent.Callable<ApiClient.Response> call,
                                      java.util.function.Predicate<JsonNode> until) {
        return await().atMost(Duration.ofSeconds(10)).until(call, r -> r.status() == 200 && until.test(r.body())).body();
    }

    private static JsonNode contactOf(String token, String conversation) {
        var contacts = api.get("api/contacts", token).body().path("contacts");
        for (var contact : contacts) {
            if (contact.path("conversationId").asText().equals(conversation)) {
                return contact;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    @Test
    void contactingTheRecruiterAboutTwoJobsGivesOneConversationWithBothJobs() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);

        var first = api.post("api/conversations", seekerToken,
                "{\"with\":\"" + recruiter + "\",\"job\":{\"id\":\"job-1\",\"title\":\"Java Engineer\"}}");
        var second = api.post("api/conversations", seekerToken,
                "{\"with\":\"" + recruiter + "\",\"job\":{\"id\":\"job-2\",\"title\":\"Kotlin Engineer\"}}");
        var again = api.post("api/conversations", seekerToken,
                "{\"with\":\"" + recruiter + "\",\"job\":{\"id\":\"job-1\",\"title\":\"Java Engineer\"}}");

        var conversation = first.body().path("conversationId").asText();
        assertThat(second.body().path("conversationId").asText()).isEqualTo(conversation);
        assertThat(again.body().path("conversationId").asText()).isEqualTo(conversation);
        for (var token : new String[] {seekerToken, recruiterToken}) {
            var view = awaitJson(() -> api.get(conversationPath(conversation), token), v -> v.path("jobs").size() == 2);
            assertThat(view.path("jobs").get(0).path("jobId").asText()).isEqualTo("job-1");
            assertThat(view.path("jobs").get(1).path("title").asText()).isEqualTo("Kotlin Engineer");
            assertThat(view.path("kind").asText()).isEqualTo("DIRECT");
        }
        var bad = api.post("api/conversations", seekerToken, "{\"with\":\"" + recruiter + "\",\"job\":{\"id\":\"x\"}}");
        assertThat(bad.errorCode()).isEqualTo("missing_field");
    }

    @Test
    void profilesFromTheAdminApiShowInContactsAndHistoryAndChangesShowAtOnce() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var admin = api.loginWithRoles(unique("host-site"), "admin");
        var seekerToken = api.login(seeker);
        var conversation = api.startConversation(seekerToken, recruiter);

        var refused = api.put("api/admin/users/" + recruiter, seekerToken,
                "{\"displayName\":\"Mallory\",\"role\":\"recruiter\"}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(api.put("api/admin/users/" + recruiter, admin,
                "{\"displayName\":\"Rita\",\"role\":\"astronaut\"}").errorCode()).isEqualTo("invalid_profile");
        assertThat(api.put("api/admin/users/" + recruiter, admin,
                "{\"displayName\":\"Rita\",\"avatarUrl\":\"javascript:x\",\"role\":\"recruiter\"}").errorCode())
                .isEqualTo("invalid_profile");

        assertThat(api.put("api/admin/users/" + recruiter, admin,
                "{\"displayName\":\"Rita Recruiter\",\"avatarUrl\":\"https://img.example/rita.png\",\"role\":\"recruiter\"}")
                .status()).isEqualTo(204);
        var contact = await().atMost(Duration.ofSeconds(10)).until(() -> contactOf(seekerToken, conversation),
                c -> "Rita Recruiter".equals(c.path("displayName").asText()));
        assertThat(contact.path("avatarUrl").asText()).isEqualTo("https://img.example/rita.png");
        assertThat(contact.path("counterpartRole").asText()).isEqualTo("RECRUITER");

        api.put("api/admin/users/" + recruiter, admin, "{\"displayName\":\"Rita R.\",\"role\":\"company\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> contactOf(seekerToken, conversation),
                c -> "Rita R.".equals(c.path("displayName").asText()) && c.path("avatarUrl").isNull());

        var recruiterToken = api.login(recruiter);
        api.post(conversationPath(conversation) + "/messages", recruiterToken, "{\"clientMessageId\":\"r1\",\"text\":\"Hi\"}");
        var history = awaitJson(() -> api.get(conversationPath(conversation) + "/messages", seekerToken),
                h -> h.path("messages").size() == 1);
        assertThat(history.path("messages").get(0).path("senderName").asText()).isEqualTo("Rita R.");
        assertThat(api.get("api/users/" + recruiter, seekerToken).body().path("displayName").asText()).isEqualTo("Rita R.");
    }

    @Test
    void anEditAndARedactionReachTheOtherParticipantLiveAndShowInHistory() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);

        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            seekerSocket.subscribe(conversation);
            recruiterSocket.subscribe(conversation);
            seekerSocket.sendMessage(conversation, "m1", "I have 5 yeras of Java");
            var first = seekerSocket.awaitType("ack").path("messageId").asText();
            seekerSocket.clear();
            seekerSocket.sendMessage(conversation, "m2", "my phone: 555-0100");
            var second = seekerSocket.awaitType("ack").path("messageId").asText();

            recruiterSocket.send("{\"type\":\"edit\",\"requestId\":\"e0\",\"conversationId\":\"" + conversation
                    + "\",\"messageId\":\"" + first + "\",\"text\":\"hijacked\"}");
            assertThat(recruiterSocket.awaitFrame(f -> "e0".equals(f.path("requestId").asText())).path("code").asText())
                    .isEqualTo("not_the_author");

            seekerSocket.send("{\"type\":\"edit\",\"requestId\":\"e1\",\"conversationId\":\"" + conversation
                    + "\",\"messageId\":\"" + first + "\",\"text\":\"I have 5 years of Java\"}");
            seekerSocket.awaitFrame(f -> f.path("type").asText().equals("ok") && f.path("requestId").asText().equals("e1"));
            var edited = recruiterSocket.awaitType("edited");
            assertThat(edited.path("messageId").asText()).isEqualTo(first);
            assertThat(edited.path("text").asText()).isEqualTo("I have 5 years of Java");
            assertThat(edited.path("seq").asLong()).isEqualTo(3);

            seekerSocket.send("{\"type\":\"redact\",\"requestId\":\"r1\",\"conversationId\":\"" + conversation
                    + "\",\"messageId\":\"" + second + "\"}");
            var redacted = recruiterSocket.awaitType("redacted");
            assertThat(redacted.path("messageId").asText()).isEqualTo(second);
            assertThat(redacted.has("text")).isFalse();
        }

        var history = awaitJson(() -> api.get(conversationPath(conversation) + "/messages", recruiterToken),
                h -> h.path("messages").path(0).path("redacted").asBoolean()
                        && h.path("messages").path(1).path("editedAt").isTextual());
        assertThat(history.path("messages").get(0).path("text").asText()).isEmpty();
        assertThat(history.path("messages").get(1).path("text").asText()).isEqualTo("I have 5 years of Java");
        // the event store keeps every version: sealed as stored, readable through the record while the keys exist
        var payloads = db.withHandle(h -> h.createQuery("""
                        SELECT convert_from(payload, 'UTF8') FROM domain_event_entry
                         WHERE aggregate_identifier = :id ORDER BY sequence_number""")
                .bind("id", conversation).mapTo(String.class).list());
        assertThat(String.join("\n", payloads)).doesNotContain("5 yeras of Java", "5 years of Java", "555-0100")
                .contains("\"ciphertext\"");
        var auditor = api.loginWithRoles(unique("auditor"), "compliance");
        var record = api.get("api/compliance/conversations/" + conversation + "/events?reason=audit", auditor).body().toString();
        assertThat(record).contains("5 yeras of Java", "5 years of Java", "555-0100");
    }

    @Test
    void anAdminMayRedactAnyMessageAndAnotherParticipantMayNot() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var conversation = api.startConversation(seekerToken, recruiter);
        var ack = api.post(conversationPath(conversation) + "/messages", seekerToken,
                "{\"clientMessageId\":\"a1\",\"text\":\"spam spam\"}").body();
        var message = ack.path("messageId").asText();

        var byOther = api.delete(conversationPath(conversation) + "/messages/" + message, api.login(recruiter));
        assertThat(byOther.status()).isEqualTo(403);
        assertThat(byOther.errorCode()).isEqualTo("not_allowed");
        var byAdmin = api.delete(conversationPath(conversation) + "/messages/" + message,
                api.loginWithRoles(unique("moderator"), "admin"));
        assertThat(byAdmin.status()).isEqualTo(204);
        awaitJson(() -> api.get(conversationPath(conversation) + "/messages", seekerToken),
                h -> h.path("messages").path(0).path("redacted").asBoolean());
        assertThat(api.delete(conversationPath(conversation) + "/messages/" + UUID.randomUUID(), seekerToken)
                .errorCode()).isEqualTo("unknown_message");
    }

    @Test
    void unreadCountsRiseOnReceiveAndDropToZeroAfterReadWithAReceiptToTheSender() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);
        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            seekerSocket.subscribe(conversation);
            for (int n = 1; n <= 3; n++) {
                seekerSocket.sendMessage(conversation, "u" + n, "message " + n);
            }
            seekerSocket.awaitFrame(f -> f.path("type").asText().equals("ack") && f.path("seq").asLong() == 3);
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> contactOf(recruiterToken, conversation).path("unreadCount").asInt() == 3);
            assertThat(contactOf(seekerToken, conversation).path("unreadCount").asInt()).isZero();

            recruiterSocket.send("{\"type\":\"read\",\"requestId\":\"r\",\"conversationId\":\"" + conversation
                    + "\",\"upToSeq\":3}");
            recruiterSocket.awaitFrame(f -> f.path("type").asText().equals("ok"));
            var receipt = seekerSocket.awaitType("read");
            assertThat(receipt.path("userId").asText()).isEqualTo(recruiter);
            assertThat(receipt.path("upToSeq").asLong()).isEqualTo(3);
            await().atMost(Duration.ofSeconds(10)).until(
                    () -> contactOf(recruiterToken, conversation).path("unreadCount").asInt() == 0);

            recruiterSocket.clear();
            recruiterSocket.send("{\"type\":\"read\",\"conversationId\":\"" + conversation + "\",\"upToSeq\":99}");
            assertThat(recruiterSocket.awaitType("error").path("code").asText()).isEqualTo("invalid_read_position");
        }
        var outsider = api.post(conversationPath(conversation) + "/read", api.login(unique("outsider")), "{\"upToSeq\":1}");
        assertThat(outsider.errorCode()).isEqualTo("not_a_participant");
    }

    @Test
    void aGroupAddsAndRemovesPeopleAndARemovedMemberKeepsOnlyWhatCameBefore() {
        var lead = unique("lead");
        var manager = unique("manager");
        var candidate = unique("candidate");
        var newcomer = unique("newcomer");
        var leadToken = api.login(lead);
        var candidateToken = api.login(candidate);
        var newcomerToken = api.login(newcomer);
        var started = api.post("api/conversations", leadToken,
                "{\"participants\":[\"" + manager + "\",\"" + candidate + "\"],\"title\":\"Interview panel\"}");
        assertThat(started.status()).isEqualTo(200);
        var group = started.body().path("conversationId").asText();

        try (var leadSocket = WsClient.connect(api.base(), leadToken);
             var candidateSocket = WsClient.connect(api.base(), candidateToken)) {
            leadSocket.subscribe(group);
            candidateSocket.subscribe(group);
            leadSocket.sendMessage(group, "g1", "Welcome to the panel");
            candidateSocket.awaitType("message");

            assertThat(api.post(conversationPath(group) + "/participants", leadToken,
                    "{\"userId\":\"" + newcomer + "\"}").status()).isEqualTo(204);
            assertThat(candidateSocket.awaitType("participant_added").path("userId").asText()).isEqualTo(newcomer);
            try (var newcomerSocket = WsClient.connect(api.base(), newcomerToken)) {
                newcomerSocket.subscribe(group, 0);
                newcomerSocket.awaitFrame(f -> f.path("type").asText().equals("participant_added"));
                newcomerSocket.sendMessage(group, "n1", "Glad to join");
                newcomerSocket.awaitType("ack");
            }

            assertThat(api.delete(conversationPath(group) + "/participants/" + candidate, leadToken).status())
                    .isEqualTo(204);
            assertThat(candidateSocket.awaitType("participant_removed").path("userId").asText()).isEqualTo(candidate);
            leadSocket.sendMessage(group, "g2", "Candidate has left; let us discuss");
            leadSocket.awaitFrame(f -> f.path("type").asText().equals("message") && f.path("text").asText().startsWith("Candidate"));
            assertThat(candidateSocket.framesOfType("message")).extracting(f -> f.path("text").asText())
                    .doesNotContain("Candidate has left; let us discuss");

            candidateSocket.clear();
            candidateSocket.sendMessage(group, "c1", "wait!");
            assertThat(candidateSocket.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");
            candidateSocket.clear();
            candidateSocket.subscribe(group, 0);
            assertThat(candidateSocket.awaitType("error").path("code").asText()).isEqualTo("not_a_participant");
        }

        var seenByCandidate = awaitJson(() -> api.get(conversationPath(group) + "/messages", candidateToken),
                h -> h.path("messages").size() >= 2);
        assertThat(seenByCandidate.path("messages")).extracting(m -> m.path("text").asText())
                .containsExactly("Glad to join", "Welcome to the panel");
        awaitJson(() -> api.get(conversationPath(group) + "/messages", leadToken), h -> h.path("messages").size() == 3);
        var candidateContact = await().atMost(Duration.ofSeconds(10)).until(() -> contactOf(candidateToken, group),
                c -> c.path("left").asBoolean());
        assertThat(candidateContact.path("displayName").asText()).isEqualTo("Interview panel");
        // a former member sees the header as it was at their removal, which is the last change they see
        var asLeft = api.get(conversationPath(group), candidateToken);
        assertThat(asLeft.status()).isEqualTo(200);
        assertThat(asLeft.body().path("participants")).extracting(m -> m.path("userId").asText())
                .doesNotContain(candidate);
        var lastChange = asLeft.body().path("membership").get(asLeft.body().path("membership").size() - 1);
        assertThat(lastChange.path("userId").asText() + " " + lastChange.path("change").asText())
                .isEqualTo(candidate + " removed");
        var members = awaitJson(() -> api.get(conversationPath(group), leadToken), v -> v.path("participants").size() == 3);
        assertThat(members.path("participants")).extracting(m -> m.path("userId").asText())
                .containsExactlyInAnyOrder(lead, manager, newcomer);

        var direct = api.startConversation(leadToken, manager);
        assertThat(api.post(conversationPath(direct) + "/participants", leadToken, "{\"userId\":\"" + newcomer + "\"}")
                .errorCode()).isEqualTo("not_a_group");
    }

    @Test
    void typingIsPushedToTheOthersAndNeverStored() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);
        try (var seekerSocket = WsClient.connect(api.base(), seekerToken);
             var recruiterSocket = WsClient.connect(api.base(), recruiterToken)) {
            seekerSocket.subscribe(conversation);
            recruiterSocket.subscribe(conversation);
            seekerSocket.send("{\"type\":\"typing\",\"conversationId\":\"" + conversation + "\"}");
            var typing = recruiterSocket.awaitType("typing");
            assertThat(typing.path("userId").asText()).isEqualTo(seeker);
            assertThat(typing.has("seq")).isFalse();
            seekerSocket.send("{\"type\":\"ping\"}");
            seekerSocket.awaitType("pong");
            assertThat(seekerSocket.framesOfType("typing")).isEmpty();
        }
        int stored = db.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", conversation).mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(1);
    }
}
