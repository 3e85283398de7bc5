package com.hirechat.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * After a run's last send: waits until every message is acked and delivered and (HireChat) the read models
 * have caught up, then checks the stored history holds each message exactly once.
 */
final class Settle {

    private Settle() {
    }

    /**
     * @param sendsEndedNanos when the run stopped sending; drain_ms counts from there
     * @return drain_ms, lag_end (projection lag when sending stopped), history_missing, history_duplicated
     */
    static Map<String, Double> settle(Target target, Recorder recorder, Postgres postgres, String prefix,
                                      long sendsEndedNanos, double lagAtEnd) throws Exception {
        var figures = new LinkedHashMap<String, Double>();
        figures.put("lag_end", lagAtEnd);
        var deadline = System.nanoTime() + 60_000_000_000L;
        var settled = false;
        Map<String, Integer> stored = Map.of();
        while (System.nanoTime() < deadline) {
            var delivered = recorder.ackedCount() == recorder.sentCount()
                    && recorder.distinctDeliveries() >= recorder.expectedDeliveries();
            if (delivered && target.kind.historyTable == null) {
                settled = true;
                break;
            }
            if (delivered) {
                var lag = target.projectionLag().orElse(0.0);
                stored = postgres.storedCounts(target.kind.database, target.kind.historyTable, prefix);
                if (lag == 0 && stored.size() >= recorder.sentCount()) {
                    settled = true;
                    break;
                }
            }
            // lag and stored rows are only observable by polling (metrics, SQL); 50 ms is the drain time's resolution
            Thread.sleep(50);
        }
        figures.put("drain_ms", settled ? (System.nanoTime() - sendsEndedNanos) / 1e6 : Double.NaN);
        if (target.kind.historyTable != null) {
            stored = postgres.storedCounts(target.kind.database, target.kind.historyTable, prefix);
            long missing = 0;
            long duplicated = 0;
            for (var id : recorder.sent().keySet()) {
                var count = stored.getOrDefault(id, 0);
                if (count == 0) {
                    missing++;
                } else {
                    duplicated += count - 1;
                }
            }
            figures.put("history_missing", (double) missing);
            figures.put("history_duplicated", (double) duplicated);
        }
        return figures;
    }
}
