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
        var settledAt = Long.MIN_VALUE;
        while (System.nanoTime() < deadline) {
            var delivered = recorder.ackedCount() == recorder.sentCount()
                    && recorder.distinctDeliveries() >= recorder.expectedDeliveries();
            if (delivered && target.kind.historyTable == null) {
                settledAt = System.nanoTime();
                break;
            }
            if (delivered && target.projectionLag().orElse(0.0) == 0) {
                var stored = postgres.storedCounts(target.kind.database, target.kind.historyTable, prefix);
                if (stored.counts().size() >= recorder.sentCount()) {
                    // every message was in the history when the query went out: the scrape and the query's own
                    // time (tens of ms on a large history table) are the check's, not the server's
                    settledAt = stored.sentAtNanos();
                    break;
                }
            }
            // lag and stored rows are only observable by polling (metrics, SQL); each round takes tens of ms anyway
            Thread.sleep(10);
        }
        figures.put("drain_ms", settledAt != Long.MIN_VALUE ? (settledAt - sendsEndedNanos) / 1e6 : Double.NaN);
        if (target.kind.historyTable != null) {
            var stored = postgres.storedCounts(target.kind.database, target.kind.historyTable, prefix).counts();
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
