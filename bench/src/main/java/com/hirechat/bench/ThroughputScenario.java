package com.hirechat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario (a), maximum durable throughput: {@code c} senders, each in its own two-person conversation with a
 * subscribed receiver, each sending its next message as soon as the previous one is acked (a closed loop at
 * fixed concurrency, like pgbench's {@code -c}). Sustained durable messages/s = messages sent in the window /
 * (window + drain), where the drain lasts until every one of them is acked, delivered and in the history read
 * model: a server that acks faster than its read models keep up is held to the read models' rate.
 */
final class ThroughputScenario {

    private final Setup setup;
    private final Postgres postgres;

    ThroughputScenario(Setup setup, Postgres postgres) {
        this.setup = setup;
        this.postgres = postgres;
    }

    List<RunResult> run(Target target, int concurrency) throws Exception {
        var tag = "a" + concurrency + target.kind.name().charAt(0) + Long.toString(System.nanoTime() % 1_000_000, 36);
        var results = new ArrayList<RunResult>();
        try (var fleet = Fleet.open(target, tag, concurrency)) {
            var warmup = fleet.newRecorder();
            var warmupEnded = closedLoop(fleet, tag + "w", setup.warmupSeconds(), warmup, false);
            // the first run starts with nothing of the warm-up outstanding: acks, deliveries, read models
            Settle.settle(target, warmup, postgres, tag + "w", warmupEnded, Double.NaN);
            for (var run = 1; run <= setup.runs(); run++) {
                var prefix = tag + "r" + run + "-";
                var recorder = fleet.newRecorder();
                var timers = Figures.ServerTimers.read(target);
                var window = ProcStats.Window.start(target.pid(), setup.postmasterPid());
                var client = ProcStats.Window.start(ProcessHandle.current().pid(), -1);
                var deadline = closedLoop(fleet, prefix, setup.throughputSeconds(), recorder, true);
                var usage = window.stop();
                var clientUsage = client.stop();
                var lag = target.projectionLag().orElse(Double.NaN);
                // settled first: the drain counts from the deadline, and the bench's own work after it is no drain
                var settled = Settle.settle(target, recorder, postgres, prefix, deadline, lag);
                var figures = new LinkedHashMap<String, Double>();
                Figures.ServerTimers.read(target).since(timers, figures);
                figures.put("acked_rate", recorder.ackedBefore(deadline) / (double) setup.throughputSeconds());
                Figures.latencies(figures, "e2e", recorder.endToEnd());
                Figures.latencies(figures, "ack", recorder.ackLatency());
                figures.putAll(settled);
                // NaN when the run never settled: then nothing was sustained
                figures.put("throughput", recorder.sentCount()
                        / (setup.throughputSeconds() + figures.get("drain_ms") / 1000.0));
                Figures.usage(figures, usage, clientUsage);
                results.add(new RunResult("a", target.kind.label, "c=" + concurrency, run, figures,
                        recorder.integrity()));
                Log.info("a c=%d %s run %d: %.0f msg/s, e2e p99 %.1f ms, %s", concurrency, target.kind.label, run,
                        figures.get("throughput"), figures.get("e2e_p99"), recorder.integrity());
            }
        }
        return results;
    }

    /** Runs the closed loop for {@code seconds}; returns the nanoTime at which sending stopped. */
    private static long closedLoop(Fleet fleet, String prefix, int seconds, Recorder recorder, boolean timed)
            throws InterruptedException {
        recorder.recording(timed);
        var counter = new AtomicLong();
        var deadline = System.nanoTime() + seconds * 1_000_000_000L;
        Recorder.AckHook next = (sender, id) -> {
            if (System.nanoTime() < deadline) {
                send(fleet, recorder, prefix, counter, sender);
            }
        };
        recorder.onAck(next);
        for (var k = 0; k < fleet.conversations.size(); k++) {
            send(fleet, recorder, prefix, counter, 2 * k);
        }
        var left = deadline - System.nanoTime();
        if (left > 0) {
            // the measured window is a fixed duration: the senders run on the ack callbacks meanwhile
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        }
        return deadline;
    }

    private static void send(Fleet fleet, Recorder recorder, String prefix, AtomicLong counter, int sender) {
        var id = prefix + counter.incrementAndGet();
        var conversation = sender / 2;
        recorder.sending(id, conversation, sender);
        fleet.clients.get(sender).send(fleet.conversations.get(conversation), id, Figures.text(id));
    }
}
