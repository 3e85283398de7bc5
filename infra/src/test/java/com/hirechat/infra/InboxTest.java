package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The per-user inbox on the WebSocket (docs/protocol.md, "Inbox"): every event of every conversation the user takes
 * part in, pushed as it is stored, over real sockets on two nodes of one database.
 */
class InboxTest {

    private static ChatApplication node;
    private static ChatApplication otherNode;
    private static ApiClient api;
    private static ApiClient otherApi;

    @BeforeAll
    static void start() {
        var database = TestServers.freshDatabase();
        node = TestServers.on(database, Map.of());
        otherNode = TestServers.on(database, Map.of());
        api = new ApiClient(node.uri());
        otherApi = new ApiClient(otherNode.uri());
    }

    @AfterAll
    static void stop() {
        node.close();
        otherNode.close();
    }

    private static String unique(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static WsClient inbox(ApiClient on, String token) {
        var client = WsClient.connect(on.base(), token);
        client.send("{\"type\":\"subscribe_inbox\"}");
        client.awaitType("inbox_subscribed");
        return client;
    }

    /** The inbox frames of one conversation, in the order they arrived. */
    private static List<JsonNode> inboxOf(WsClient client, String conversation) {
        return client.framesOfType("inbox").stream()
                .filter(frame -> frame.path("conversationId").asText().equals(conversation))
                .toList();
    }

    private static JsonNode awaitInbox(WsClient client, String conversation, String eventType) {
        return client.awaitFrame(frame -> frame.path("type").asText().equals("inbox")
                && frame.path("conversationId").asText().equals(conversation)
                && frame.path("event").path("type").asText().equals(eventType));
    }

    private static void send(String token, String conversation, String clientMessageId, String text) {
        var answer = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"" + text + "\"}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /**
     * Everything the server queued for {@code client} before this call is in its received frames afterwards: the
     * answer to a ping leaves through the same queue, after them.
     */
    private static void drain(WsClient client) {
        var pongs = client.framesOfType("pong").size();
        client.send("{\"type\":\"ping\"}");
        client.awaitFrame(frame -> frame.path("type").asText().equals("pong")
                && client.framesOfType("pong").size() > pongs);
    }

    @Test
    void aConversationSomeoneElseStartsArrivesWithItsStartThenItsMessages() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        try (var recruiterInbox = inbox(api, api.login(recruiter))) {
            var conversation = api.startConversation(seekerToken, recruiter);
            var started = awaitInbox(recruiterInbox, conversation, "started").path("event");
            assertThat(started.path("conversationId").asText()).isEqualTo(conversation);
            assertThat(started.path("seq").asLong()).isZero();
            assertThat(started.path("kind").asText()).isEqualTo("DIRECT");
            assertThat(started.path("title").isNull()).isTrue();
            assertThat(started.path("startedBy").asText()).isEqualTo(seeker);
            assertThat(started.path("participants")).extracting(JsonNode::asText)
                    .containsExactlyInAnyOrder(seeker, recruiter);
            assertThat(started.path("startedAt").asText()).isNotEmpty();

            send(seekerToken, conversation, "m-1", "Hello from the job board");
            var message = awaitInbox(recruiterInbox, conversation, "message").path("event");
            assertThat(message.path("seq").asLong()).isEqualTo(1);
            assertThat(message.path("senderId").asText()).isEqualTo(seeker);
            assertThat(message.path("text").asText()).isEqualTo("Hello from the job board");
            assertThat(message.path("conversationId").asText()).isEqualTo(conversation);
            assertThat(message.path("clientMessageId").asText()).isEqualTo("m-1");

            drain(recruiterInbox);
            // each event once, in seq order, although it reached the node twice (its commit, then the tail)
            assertThat(inboxOf(recruiterInbox, conversation)).extracting(frame -> frame.path("event").path("seq").asLong())
                    .containsExactly(0L, 1L);
        }
    }

    @Test
    void everyKindOfEventOfAConversationStartedBeforeTheSubscriptionArrivesAsItsOwnFrame() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);
        try (var seekerInbox = inbox(api, seekerToken)) {
            var sent = api.post("api/conversations/" + conversation + "/messages", recruiterToken,
                    "{\"clientMessageId\":\"r-1\",\"text\":\"Thanks for applying\"}").body();
            var messageId = sent.path("messageId").asText();
            assertThat(api.patch("api/conversations/" + conversation + "/messages/" + messageId, recruiterToken,
                    "{\"text\":\"Thanks for applying!\"}").status()).isEqualTo(204);
            assertThat(api.post("api/conversations/" + conversation + "/read", seekerToken,
                    "{\"upToSeq\":2}").status()).isEqualTo(204);
            assertThat(api.post("api/conversations/" + conversation + "/jobs", seekerToken,
                    "{\"id\":\"job-42\",\"title\":\"Senior Java Engineer\"}").status()).isEqualTo(204);
            assertThat(api.delete("api/conversations/" + conversation + "/messages/" + messageId, recruiterToken)
                    .status()).isEqualTo(204);

            var redacted = awaitInbox(seekerInbox, conversation, "redacted").path("event");
            assertThat(redacted.path("messageSeq").asLong()).isEqualTo(1);
            assertThat(redacted.path("redactedBy").asText()).isEqualTo(recruiter);
            // the start was stored before the inbox opened: it may have been on its way still, but never twice
            var events = inboxOf(seekerInbox, conversation).stream().map(frame -> frame.path("event"))
                    .dropWhile(event -> event.path("type").asText().equals("started")
                            && event.path("seq").asLong() == 0)
                    .toList();
            assertThat(inboxOf(seekerInbox, conversation).size() - events.size()).isLessThanOrEqualTo(1);
            assertThat(events).extracting(event -> event.path("type").asText())
                    .containsExactly("message", "edited", "read", "job_linked", "redacted");
            assertThat(events).extracting(event -> event.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(events.get(1).path("text").asText()).isEqualTo("Thanks for applying!");
            assertThat(events.get(2).path("userId").asText()).isEqualTo(seeker);
            assertThat(events.get(3).path("jobId").asText()).isEqualTo("job-42");
        }
    }

    @Test
    void aMemberRemovedFromAGroupGetsTheirRemovalAndNothingAfterWhileANewcomerGetsEverythingFromTheirArrival() {
        var owner = unique("owner");
        var leaver = unique("leaver");
        var stayer = unique("stayer");
        var newcomer = unique("newcomer");
        var outsider = unique("outsider");
        var ownerToken = api.login(owner);
        try (var leaverInbox = inbox(api, api.login(leaver));
             var stayerInbox = inbox(otherApi, otherApi.login(stayer));
             var newcomerInbox = inbox(api, api.login(newcomer));
             var outsiderInbox = inbox(api, api.login(outsider))) {
            var group = api.post("api/conversations", ownerToken, "{\"participants\":[\"" + leaver + "\",\"" + stayer
                    + "\"],\"title\":\"Interview panel\"}").body().path("conversationId").asText();
            var started = awaitInbox(leaverInbox, group, "started").path("event");
            assertThat(started.path("kind").asText()).isEqualTo("GROUP");
            assertThat(started.path("title").asText()).isEqualTo("Interview panel");
            // the other node pushes it too: its tail reads what this node stored
            awaitInbox(stayerInbox, group, "started");
            send(ownerToken, group, "g-1", "Welcome, both");
            awaitInbox(leaverInbox, group, "message");

            assertThat(api.delete("api/conversations/" + group + "/participants/" + leaver, ownerToken).status())
                    .isEqualTo(204);
            var removal = awaitInbox(leaverInbox, group, "participant_removed").path("event");
            assertThat(removal.path("userId").asText()).isEqualTo(leaver);
            assertThat(removal.path("removedBy").asText()).isEqualTo(owner);
            assertThat(api.post("api/conversations/" + group + "/participants", ownerToken,
                    "{\"userId\":\"" + newcomer + "\"}").status()).isEqualTo(204);
            var added = awaitInbox(newcomerInbox, group, "participant_added").path("event");
            assertThat(added.path("userId").asText()).isEqualTo(newcomer);
            assertThat(added.path("seq").asLong()).isEqualTo(3);
            send(ownerToken, group, "g-2", "Only for those still here");
            send(ownerToken, group, "g-3", "And one more");

            var last = awaitInbox(stayerInbox, group, "message");
            stayerInbox.awaitFrame(frame -> frame.path("type").asText().equals("inbox")
                    && frame.path("event").path("seq").asLong() == 5);
            assertThat(last.path("event").path("seq").asLong()).isEqualTo(1);
            newcomerInbox.awaitFrame(frame -> frame.path("type").asText().equals("inbox")
                    && frame.path("event").path("seq").asLong() == 5);
            // the fan-out handles one event for everyone before the next: the last message reached the others, so
            // anything for the leaver or the outsider is queued before the answer to their ping
            drain(leaverInbox);
            drain(outsiderInbox);

            assertThat(inboxOf(leaverInbox, group)).extracting(frame -> frame.path("event").path("type").asText())
                    .containsExactly("started", "message", "participant_removed");
            assertThat(inboxOf(newcomerInbox, group)).extracting(frame -> frame.path("event").path("type").asText())
                    .containsExactly("participant_added", "message", "message");
            assertThat(inboxOf(stayerInbox, group)).extracting(frame -> frame.path("event").path("seq").asLong())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(outsiderInbox.framesOfType("inbox")).isEmpty();
        }
    }

    @Test
    void afterUnsubscribingNothingMoreArrivesAndUnknownFieldsAreIgnored() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        try (var client = WsClient.connect(api.base(), api.login(recruiter))) {
            // like every frame's, fields the frame does not take are ignored
            client.send("{\"type\":\"subscribe_inbox\",\"conversationId\":\"not-a-uuid\",\"afterSeq\":-1,\"x\":[1]}");
            client.awaitType("inbox_subscribed");
            assertThat(client.framesOfType("error")).isEmpty();
            var conversation = api.startConversation(seekerToken, recruiter);
            awaitInbox(client, conversation, "started");

            client.send("{\"type\":\"unsubscribe_inbox\"}");
            client.awaitType("inbox_unsubscribed");
            send(seekerToken, conversation, "after", "not for the inbox any more");
            // a conversation subscription on the same socket still works, and shows the send has been pushed
            client.subscribe(conversation, 0);
            client.awaitFrame(frame -> frame.path("type").asText().equals("message"));
            drain(client);
            assertThat(inboxOf(client, conversation)).extracting(frame -> frame.path("event").path("type").asText())
                    .containsExactly("started");
            // unsubscribing when not subscribed is answered alike
            client.send("{\"type\":\"unsubscribe_inbox\"}");
            client.awaitFrame(frame -> frame.path("type").asText().equals("inbox_unsubscribed")
                    && client.framesOfType("inbox_unsubscribed").size() == 2);
        }
    }

    @Test
    void subscribingTwiceReplacesTheInboxSoEachEventStillArrivesOnce() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        try (var client = inbox(api, api.login(recruiter))) {
            client.send("{\"type\":\"subscribe_inbox\"}");
            client.awaitFrame(frame -> frame.path("type").asText().equals("inbox_subscribed")
                    && client.framesOfType("inbox_subscribed").size() == 2);
            var conversation = api.startConversation(seekerToken, recruiter);
            send(seekerToken, conversation, "once", "just once");
            awaitInbox(client, conversation, "message");
            drain(client);
            assertThat(inboxOf(client, conversation)).hasSize(2);
        }
    }
}
