package com.hirechat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Scenario (c), idle connections: opens N WebSockets (one user each, authenticated, not subscribed to
 * anything) and reads the server's heap after a forced GC before and after: heap per connection.
 */
final class IdleConnectionsScenario {

    private final Setup setup;

    IdleConnectionsScenario(Setup setup) {
        this.setup = setup;
    }

    List<RunResult> run(Target target) throws Exception {
        var results = new ArrayList<RunResult>();
        var count = setup.idleConnections();
        var ignore = new Recorder(List.of(), 0);
        for (var run = 1; run <= setup.runs(); run++) {
            var baseline = connections(target);
            var heapBefore = heapAfterGc(target);
            var rssBefore = ProcStats.statusKib(target.pid(), "VmRSS");
            var started = System.nanoTime();
            var gate = new Semaphore(256);
            var futures = new ArrayList<CompletableFuture<ChatClient>>();
            for (var i = 0; i < count; i++) {
                gate.acquire();
                futures.add(target.connect("idle" + run + "-" + i, ChatClient.Events.IGNORED)
                        .whenComplete((c, e) -> gate.release()));
            }
            var clients = futures.stream().map(CompletableFuture::join).toList();
            var openSeconds = (System.nanoTime() - started) / 1e9;
            // the server counts a connection once its upgrade completed on its side
            for (var i = 0; i < 500 && connections(target) < baseline + count; i++) {
                // the server's count is only observable by polling /metrics; bounded to 10 s
                Thread.sleep(20);
            }
            var open = connections(target) - baseline;
            var heapAfter = heapAfterGc(target);
            var rssAfter = ProcStats.statusKib(target.pid(), "VmRSS");
            var figures = new LinkedHashMap<String, Double>();
            figures.put("connections", open);
            figures.put("open_per_s", count / openSeconds);
            figures.put("heap_per_conn_kib", (heapAfter - heapBefore) / 1024.0 / open);
            figures.put("rss_per_conn_kib", (rssAfter - rssBefore) / (double) open);
            figures.put("heap_before_mib", heapBefore / 1048576.0);
            figures.put("heap_after_mib", heapAfter / 1048576.0);
            results.add(new RunResult("c", target.kind.label, count + " idle", run, figures, null));
            Log.info("c run %d: %d open, heap %.1f KiB/connection, RSS %.1f KiB/connection", run, (long) open,
                    figures.get("heap_per_conn_kib"), figures.get("rss_per_conn_kib"));
            clients.forEach(ChatClient::close);
            for (var i = 0; i < 1000 && connections(target) > baseline; i++) {
                // polled as above, bounded to 20 s, so the next run starts from the same baseline
                Thread.sleep(20);
            }
        }
        return results;
    }

    private double connections(Target target) {
        return target.metric("hirechat_websocket_connections", "").orElse(0.0);
    }

    private double heapAfterGc(Target target) throws Exception {
        target.forceGc(setup);
        return target.metric("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
    }
}
