package com.hirechat.bench;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario (d), catch-up: one conversation holds N messages the receiver missed; the receiver connects and
 * subscribes with afterSeq=0. Measured: from starting the connection, and from sending subscribe, until the
 * N-th message has arrived, each seq exactly once.
 */
final class CatchUpScenario {

    private static final int IN_FLIGHT = 64;

    private final Setup setup;

    CatchUpScenario(Setup setup) {
        this.setup = setup;
    }

    List<RunResult> run(Target target) throws Exception {
        var count = setup.catchUpMessages();
        var tag = "d" + Long.toString(System.nanoTime() % 1_000_000, 36);
        var results = new ArrayList<RunResult>();
        try (var fleet = Fleet.open(target, tag, 1)) {
            fill(fleet, target, tag, count);
            var conversation = fleet.conversations.get(0);
            for (var run = 1; run <= setup.runs(); run++) {
                var resumed = new Resumed(count);
                var started = System.nanoTime();
                var client = target.connect(Fleet.user(tag, 1), resumed).get(30, TimeUnit.SECONDS);
                var subscribing = System.nanoTime();
                client.subscribe(conversation, 0L);
                var complete = resumed.done.await(60, TimeUnit.SECONDS);
                var finished = resumed.lastAt.get();
                client.close();
                var figures = new LinkedHashMap<String, Double>();
                figures.put("messages", (double) count);
                figures.put("catchup_ms", complete ? (finished - started) / 1e6 : Double.NaN);
                figures.put("catchup_from_subscribe_ms", complete ? (finished - subscribing) / 1e6 : Double.NaN);
                figures.put("received", (double) resumed.seen.cardinality());
                figures.put("duplicated", (double) resumed.duplicates.get());
                results.add(new RunResult("d", target.kind.label, count + " missed", run, figures, null));
                Log.info("d run %d: %d messages resumed in %.0f ms (%.0f ms after subscribe), %d duplicates", run,
                        resumed.seen.cardinality(), figures.get("catchup_ms"), figures.get("catchup_from_subscribe_ms"),
                        resumed.duplicates.get());
            }
        }
        return results;
    }

    /** The sender sends N messages, IN_FLIGHT at a time; the waiting receiver is disconnected meanwhile. */
    private void fill(Fleet fleet, Target target, String tag, int count) throws Exception {
        fleet.clients.get(1).close();
        var recorder = fleet.newRecorder();
        recorder.recording(false);
        var counter = new AtomicLong();
        var sender = fleet.clients.get(0);
        var conversation = fleet.conversations.get(0);
        Runnable next = () -> {
            var n = counter.incrementAndGet();
            if (n <= count) {
                var id = tag + "f-" + n;
                recorder.sending(id, 0, 0);
                sender.send(conversation, id, Figures.text(id));
            }
        };
        recorder.onAck((user, id) -> next.run());
        for (var i = 0; i < IN_FLIGHT; i++) {
            next.run();
        }
        var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (recorder.ackedCount() < count && System.nanoTime() < deadline) {
            // acks arrive on the clients' threads; the fill only needs to notice the count, to 50 ms
            Thread.sleep(50);
        }
        Log.info("d: %d messages stored in the conversation", recorder.ackedCount());
        // the history read model is not what a resume reads (it replays the event store), but a quiet server is fairer
        for (var i = 0; i < 1200 && target.projectionLag().orElse(0.0) > 0; i++) {
            // the lag is only observable by polling /metrics; bounded to a minute
            Thread.sleep(50);
        }
    }

    /** Counts the replayed messages by seq (1..N) and notes when the last one arrived. */
    private static final class Resumed implements ChatClient.Events {
        final BitSet seen = new BitSet();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong lastAt = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        private final int count;

        Resumed(int count) {
            this.count = count;
        }

        @Override
        public synchronized void delivered(String conversationId, long seq, String clientMessageId, String senderId,
                                           long atNanos) {
            if (seen.get((int) seq)) {
                duplicates.incrementAndGet();
            }
            seen.set((int) seq);
            if (seen.cardinality() == count) {
                lastAt.set(atNanos);
                done.countDown();
            }
        }

        @Override
        public void acked(String clientMessageId, long atNanos) {
        }

        @Override
        public void refused(String code, String clientMessageId) {
        }

        @Override
        public void closed(String reason) {
        }
    }
}
