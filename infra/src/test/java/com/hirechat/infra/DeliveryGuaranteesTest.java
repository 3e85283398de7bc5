package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Order, no gaps, no duplicates: across killed sockets, resumes racing live sends, slow clients and retries. */
class DeliveryGuaranteesTest {

    /**
     * Small, so a stalled client overflows it within the test, yet far above what a reading client lags on a busy
     * two-core machine: with 32, the "fast" client in the same JVM was once cut off too.
     */
    private static final int OUTBOX_FRAMES = 256;
    private static ChatApplication app;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        app = TestServers.on(TestServers.freshDatabase(), Map.of(
                "HIRECHAT_OUTBOX_FRAMES", String.valueOf(OUTBOX_FRAMES)));
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private record Pair(String conversation, String seekerToken, String recruiterToken) {
    }

    private static Pair conversation() {
        var suffix = UUID.randomUUID().toString().substring(0, 8);
        var seekerToken = api.login("seeker-" + suffix);
        var recruiterToken = api.login("recruiter-" + suffix);
        return new Pair(api.startConversation(seekerToken, "recruiter-" + suffix), seekerToken, recruiterToken);
    }

    private static void send(Pair pair, int n, String text) {
        var ack = api.post("api/conversations/" + pair.conversation() + "/messages", pair.seekerToken(),
                "{\"clientMessageId\":\"m-" + n + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).as("send %d", n).isEqualTo(200);
    }

    private static List<Long> range(long first, long last) {
        return LongStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void aKilledSocketResumesWithExactlyTheMissedMessagesInOrder() {
        var pair = conversation();
        try (var first = WsClient.connect(api.base(), pair.recruiterToken())) {
            first.subscribe(pair.conversation(), 0);
            for (int n = 1; n <= 3; n++) {
                send(pair, n, "before " + n);
            }
            first.awaitFrame(f -> f.path("seq").asLong() == 3);
            assertThat(first.seqs(pair.conversation())).containsExactly(1L, 2L, 3L);
            first.abort();
        }
        for (int n = 4; n <= 8; n++) {
            send(pair, n, "while away " + n);
        }
        try (var resumed = WsClient.connect(api.base(), pair.recruiterToken())) {
            resumed.subscribe(pair.conversation(), 3);
            resumed.awaitFrame(f -> f.path("seq").asLong() == 8);
            send(pair, 9, "live again");
            resumed.awaitFrame(f -> f.path("seq").asLong() == 9);

            assertThat(resumed.seqs(pair.conversation())).containsExactlyElementsOf(range(4, 9));
            assertThat(resumed.messages(pair.conversation()).getFirst().path("text").asText()).isEqualTo("while away 4");
        }
    }

    @Test
    void aCatchUpLongerThanTheClientsQueueArrivesWhole() {
        var pair = conversation();
        // far more than the client's queue and the socket buffers hold: the catch-up must wait for the reader
        var stored = 1200;
        var text = "y".repeat(4000);
        for (int n = 1; n <= stored; n++) {
            send(pair, n, text);
        }
        try (var client = WsClient.connect(api.base(), pair.recruiterToken())) {
            client.subscribe(pair.conversation(), 0);
            client.awaitFrame(f -> f.path("seq").asLong() == stored);
            assertThat(client.seqs(pair.conversation())).containsExactlyElementsOf(range(1, stored));
            assertThat(client.closed()).isNotDone();
        }
    }

    @Test
    void resumesRacingLiveSendsNeverGapOrDuplicate() {
        var pair = conversation();
        var sent = new java.util.concurrent.atomic.AtomicInteger();
        var stop = new java.util.concurrent.atomic.AtomicBoolean();
        // its own thread: blocking the common pool would starve the WebSocket client's callbacks
        var senderThread = java.util.concurrent.Executors.newSingleThreadExecutor();
        var sender = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                send(pair, sent.incrementAndGet(), "burst");
            }
        }, senderThread);
        var lastSeen = 0L;
        for (int connection = 1; connection <= 20; connection++) {
            lastSeen = resumeOnce(pair, lastSeen, connection, lastSeen + 1);
        }
        stop.set(true);
        sender.join();
        senderThread.shutdown();
        // a last resume after the burst gets exactly the rest (at least the last message: the loop's last
        // connection may already have seen everything, and a resume with nothing to send shows nothing)
        var total = sent.get();
        assertThat(resumeOnce(pair, Math.min(lastSeen, total - 1), 21, total)).isEqualTo(total);
    }

    /** Connects, resumes after {@code afterSeq}, takes messages up to at least {@code until}, drops the connection. */
    private static long resumeOnce(Pair pair, long afterSeq, int connection, long until) {
        try (var client = WsClient.connect(api.base(), pair.recruiterToken())) {
            client.subscribe(pair.conversation(), afterSeq);
            await().atMost(Duration.ofSeconds(20)).until(() -> !client.seqs(pair.conversation()).isEmpty()
                    && client.seqs(pair.conversation()).getLast() >= until);
            client.abort();
            var seqs = client.seqs(pair.conversation());
            assertThat(seqs).as("connection %d, resumed after %d", connection, afterSeq)
                    .containsExactlyElementsOf(range(afterSeq + 1, afterSeq + seqs.size()));
            return seqs.getLast();
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutHoldingUpOthers() {
        var pair = conversation();
        // large frames fill the socket buffers between server and the stalled client quickly
        var text = "x".repeat(4000);
        try (var slow = WsClient.connect(api.base(), pair.recruiterToken());
             var fast = WsClient.connect(api.base(), pair.seekerToken())) {
            slow.subscribe(pair.conversation(), 0);
            fast.subscribe(pair.conversation(), 0);
            slow.pauseReading();

            // ~4 MB of frames fill the loopback socket buffers (measured: the client got ~950 before the cut);
            // past that, OUTBOX_FRAMES more overflow the server's queue for it
            var sent = 0;
            while (sent < 2500) {
                send(pair, ++sent, text);
                if (sent % 250 == 0) {
                    // the fast reader keeps up with every message while the slow one stalls
                    var expected = sent;
                    fast.awaitFrame(f -> f.path("seq").asLong() == expected);
                }
            }
            var expected = sent;
            fast.awaitFrame(f -> f.path("seq").asLong() == expected);
            assertThat(fast.seqs(pair.conversation())).containsExactlyElementsOf(range(1, sent));

            slow.resumeReading();
            await().atMost(Duration.ofSeconds(20)).until(() -> slow.closed().isDone());
            assertThat(slow.seqs(pair.conversation()).size()).as("the slow client was cut off").isLessThan(sent);
            // what it did get is still a gap-free prefix, so it can resume from its last seq
            assertThat(slow.seqs(pair.conversation())).containsExactlyElementsOf(
                    range(1, slow.seqs(pair.conversation()).size()));
        }
    }

    @Test
    void aRetryAfterALostAckStoresNothingNew() {
        var pair = conversation();
        var results = new ArrayList<CompletableFuture<ApiClient.Response>>();
        // the same send, many times at once, as a client retrying eagerly after a timeout would
        for (int i = 0; i < 8; i++) {
            results.add(CompletableFuture.supplyAsync(() -> api.post("api/conversations/" + pair.conversation()
                    + "/messages", pair.seekerToken(), "{\"clientMessageId\":\"once\",\"text\":\"only once\"}")));
        }
        var seqs = results.stream().map(CompletableFuture::join).map(r -> r.body().path("seq").asLong()).distinct().toList();
        assertThat(seqs).containsExactly(1L);
        var history = await().atMost(Duration.ofSeconds(10)).until(
                () -> api.get("api/conversations/" + pair.conversation() + "/messages", pair.recruiterToken()),
                r -> r.body().path("messages").size() >= 1);
        assertThat(history.body().path("messages")).hasSize(1);
    }
}
