package com.hirechat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Scenario (b), latency at a fixed rate: 1,000 users in 500 two-person conversations, an open loop sending
 * 1,000 messages/s in all (each user one per second, the two of a conversation taking turns), whatever the
 * server's answers. End-to-end latency is from the send stamp to the delivery at the other participant.
 */
final class LatencyScenario {

    static final int CONVERSATIONS = 500;
    static final int RATE = 1_000;

    private final Setup setup;
    private final Postgres postgres;
    /** End-to-end samples of each system's median run (by p99), for the plots. */
    final Map<String, long[]> medianSamples = new LinkedHashMap<>();
    final Map<String, long[]> medianAckSamples = new LinkedHashMap<>();

    LatencyScenario(Setup setup, Postgres postgres) {
        this.setup = setup;
        this.postgres = postgres;
    }

    List<RunResult> run(Target target) throws Exception {
        var tag = "b" + target.kind.name().charAt(0) + Long.toString(System.nanoTime() % 1_000_000, 36);
        var results = new ArrayList<RunResult>();
        var samples = new ArrayList<long[][]>();
        try (var fleet = Fleet.open(target, tag, CONVERSATIONS)) {
            Log.info("b %s: %d users connected", target.kind.label, fleet.clients.size());
            var warmup = fleet.newRecorder();
            openLoop(fleet, warmup, tag + "w", setup.warmupSeconds(), false);
            Settle.settle(target, warmup, postgres, tag + "w", System.nanoTime(), 0);
            for (var run = 1; run <= setup.runs(); run++) {
                var prefix = tag + "r" + run + "-";
                var recorder = fleet.newRecorder();
                var timers = Figures.ServerTimers.read(target);
                var window = ProcStats.Window.start(target.pid(), setup.postmasterPid());
                var client = ProcStats.Window.start(ProcessHandle.current().pid(), -1);
                var loop = openLoop(fleet, recorder, prefix, setup.latencySeconds(), true);
                var usage = window.stop();
                var clientUsage = client.stop();
                var lag = target.projectionLag().orElse(Double.NaN);
                var settled = Settle.settle(target, recorder, postgres, prefix, loop.endNanos(), lag); // as in (a)
                var figures = new LinkedHashMap<String, Double>();
                Figures.ServerTimers.read(target).since(timers, figures);
                figures.put("offered_rate", loop.sent() / (double) setup.latencySeconds());
                figures.put("acked_rate", recorder.ackedBefore(loop.endNanos()) / (double) setup.latencySeconds());
                figures.put("schedule_lag_max_ms", loop.maxBehindNanos() / 1e6);
                Figures.latencies(figures, "e2e", recorder.endToEnd());
                Figures.latencies(figures, "ack", recorder.ackLatency());
                figures.putAll(settled);
                // as in (a): sustained until everything sent was acked, delivered and stored
                figures.put("throughput", loop.sent() / (setup.latencySeconds() + figures.get("drain_ms") / 1000.0));
                Figures.usage(figures, usage, clientUsage);
                results.add(new RunResult("b", target.kind.label, RATE + " msg/s", run, figures, recorder.integrity()));
                samples.add(new long[][] {recorder.endToEndSamples(), recorder.ackSamples()});
                Log.info("b %s run %d: e2e p50 %.1f p99 %.1f p99.9 %.1f max %.1f ms, %s", target.kind.label, run,
                        figures.get("e2e_p50"), figures.get("e2e_p99"), figures.get("e2e_p999"), figures.get("e2e_max"),
                        recorder.integrity());
            }
        }
        var median = Stats.medianIndex(results.stream().mapToDouble(r -> r.figure("e2e_p99")).toArray());
        medianSamples.put(target.kind.label, samples.get(median)[0]);
        medianAckSamples.put(target.kind.label, samples.get(median)[1]);
        return results;
    }

    /** What the open loop did: messages sent, when it stopped, and how far it fell behind its schedule. */
    record Loop(long sent, long endNanos, long maxBehindNanos) {
    }

    private static Loop openLoop(Fleet fleet, Recorder recorder, String prefix, int seconds, boolean timed) {
        recorder.recording(timed);
        recorder.onAck((sender, id) -> { });
        var interval = 1_000_000_000L / RATE;
        var users = fleet.clients.size();
        var start = System.nanoTime();
        var end = start + seconds * 1_000_000_000L;
        var counter = new AtomicLong();
        long k = 0;
        long maxBehind = 0;
        while (true) {
            var due = start + k * interval;
            if (due >= end) {
                break;
            }
            var now = System.nanoTime();
            if (now < due) {
                LockSupport.parkNanos(due - now);
                continue;
            }
            maxBehind = Math.max(maxBehind, now - due);
            // user k mod 1000: each user once a second, the two of conversation k/2 mod 500 taking turns
            var sender = (int) (k % users);
            var conversation = sender / 2;
            var id = prefix + counter.incrementAndGet();
            recorder.sending(id, conversation, sender);
            fleet.clients.get(sender).send(fleet.conversations.get(conversation), id, Figures.text(id));
            k++;
        }
        return new Loop(k, end, maxBehind);
    }
}
