package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Two server processes' worth of nodes on one PostgreSQL, as behind a load balancer. */
class TwoNodeTest {

    private static ChatApplication nodeA;
    private static ChatApplication nodeB;
    private static ApiClient apiA;
    private static ApiClient apiB;

    @BeforeAll
    static void start() {
        var database = TestServers.freshDatabase();
        nodeA = TestServers.on(database, Map.of());
        nodeB = TestServers.on(database, Map.of());
        apiA = new ApiClient(nodeA.uri());
        apiB = new ApiClient(nodeB.uri());
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void concurrentSendsThroughBothNodesReachEveryClientOnceInOneOrder() {
        var seekerToken = apiA.login("seeker");
        var recruiterToken = apiB.login("recruiter");
        var conversation = apiA.startConversation(seekerToken, "recruiter");
        var perSender = 40;
        var senders = List.of(
                new Sender(apiA, seekerToken, "a-seeker"), new Sender(apiA, seekerToken, "a-seeker-tab2"),
                new Sender(apiB, recruiterToken, "b-recruiter"), new Sender(apiB, recruiterToken, "b-recruiter-tab2"));
        var total = senders.size() * perSender;

        try (var seekerOnA = WsClient.connect(apiA.base(), seekerToken);
             var recruiterOnA = WsClient.connect(apiA.base(), recruiterToken);
             var seekerOnB = WsClient.connect(apiB.base(), seekerToken);
             var recruiterOnB = WsClient.connect(apiB.base(), recruiterToken)) {
            var clients = List.of(seekerOnA, recruiterOnA, seekerOnB, recruiterOnB);
            clients.forEach(client -> client.subscribe(conversation));

            try (var pool = Executors.newFixedThreadPool(senders.size())) {
                var sends = senders.stream()
                        .map(sender -> CompletableFuture.runAsync(() -> sender.sendAll(conversation, perSender), pool))
                        .toList();
                sends.forEach(CompletableFuture::join);
            }

            for (var client : clients) {
                client.awaitFrame(f -> f.path("seq").asLong() == total);
            }
            var expectedSeqs = LongStream.rangeClosed(1, total).boxed().toList();
            var reference = messageIds(seekerOnA.messages(conversation));
            for (var client : clients) {
                assertThat(client.seqs(conversation)).containsExactlyElementsOf(expectedSeqs);
                assertThat(messageIds(client.messages(conversation))).isEqualTo(reference);
            }

            var history = await().atMost(Duration.ofSeconds(20)).until(
                    () -> allHistory(apiB, recruiterToken, conversation), list -> list.size() == total);
            assertThat(history).isEqualTo(reference.reversed());
            assertThat(allHistory(apiA, seekerToken, conversation)).isEqualTo(history);
        }

        int stored = Jdbi.create(nodeA.dataSource()).withHandle(h -> h.createQuery(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", conversation).mapTo(Integer.class).one());
        assertThat(stored).isEqualTo(total + 1);
    }

    @Test
    void aMessageSentThroughOneNodeIsPushedByTheOtherWithoutWaitingForAPoll() {
        var seekerToken = apiA.login("seeker-2");
        var recruiterToken = apiB.login("recruiter-2");
        var conversation = apiA.startConversation(seekerToken, "recruiter-2");
        try (var recruiterOnB = WsClient.connect(apiB.base(), recruiterToken)) {
            recruiterOnB.subscribe(conversation);
            for (int n = 1; n <= 5; n++) {
                apiA.post("api/conversations/" + conversation + "/messages", seekerToken,
                        "{\"clientMessageId\":\"p-" + n + "\",\"text\":\"ping " + n + "\"}");
                var seq = n;
                // the event stores' own poll is 5 s; a notification wakes node B well before that
                await().atMost(Duration.ofMillis(2500))
                        .until(() -> recruiterOnB.seqs(conversation).contains((long) seq));
            }
        }
    }

    private static List<String> messageIds(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("messageId").asText()).toList();
    }

    private static List<String> allHistory(ApiClient api, String token, String conversation) {
        var ids = new ArrayList<String>();
        String before = null;
        do {
            var page = api.get("api/conversations/" + conversation + "/messages?limit=200"
                    + (before == null ? "" : "&before=" + before), token).body();
            page.path("messages").forEach(m -> ids.add(m.path("messageId").asText()));
            before = page.path("nextBefore").isNull() ? null : page.path("nextBefore").asText();
        } while (before != null);
        return ids;
    }

    private record Sender(ApiClient api, String token, String name) {

        void sendAll(String conversation, int count) {
            for (int n = 1; n <= count; n++) {
                var ack = api.post("api/conversations/" + conversation + "/messages", token,
                        "{\"clientMessageId\":\"" + name + "-" + n + "\",\"text\":\"" + name + " " + n + "\"}");
                assertThat(ack.status()).as("%s message %d: %s", name, n, ack.body()).isEqualTo(200);
            }
        }
    }
}
