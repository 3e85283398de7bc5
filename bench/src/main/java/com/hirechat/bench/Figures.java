package com.hirechat.bench;

import java.util.Map;

/** Helpers that put measurements into a run's figures under the names the report reads. */
final class Figures {

    private Figures() {
    }

    static void latencies(Map<String, Double> figures, String prefix, Latencies latencies) {
        var summary = latencies.summary();
        figures.put(prefix + "_p50", summary.p50());
        figures.put(prefix + "_p99", summary.p99());
        figures.put(prefix + "_p999", summary.p999());
        figures.put(prefix + "_max", summary.max());
    }

    static void usage(Map<String, Double> figures, ProcStats.Usage server, ProcStats.Usage client) {
        figures.put("server_cores", server.serverCores());
        figures.put("db_cores", server.dbCores());
        figures.put("client_cores", client.serverCores());
        figures.put("peak_rss_mib", server.peakRssMib());
    }

    /** Sums and counts of HireChat's own timers, so a run can say where a send's time went on the server. */
    record ServerTimers(double commandSum, double commandCount, double appendSum, double appendCount,
                        double poolWaitSum, double poolWaitCount) {
        static ServerTimers read(Target target) {
            return new ServerTimers(
                    target.metric("hirechat_command_seconds_sum", "SendMessage").orElse(Double.NaN),
                    target.metric("hirechat_command_seconds_count", "SendMessage").orElse(Double.NaN),
                    target.metric("hirechat_event_store_append_seconds_sum", "").orElse(Double.NaN),
                    target.metric("hirechat_event_store_append_seconds_count", "").orElse(Double.NaN),
                    target.metric("hikaricp_connections_acquire_seconds_sum", "pool=\"hirechat\"").orElse(Double.NaN),
                    target.metric("hikaricp_connections_acquire_seconds_count", "pool=\"hirechat\"").orElse(Double.NaN));
        }

        /**
         * Mean send-command time (gateway to durable commit), mean append time and mean wait for a pooled connection
         * over the run, in ms.
         */
        void since(ServerTimers before, Map<String, Double> figures) {
            figures.put("command_mean_ms", 1000 * (commandSum - before.commandSum) / (commandCount - before.commandCount));
            figures.put("append_mean_ms", 1000 * (appendSum - before.appendSum) / (appendCount - before.appendCount));
            figures.put("pool_wait_mean_ms",
                    1000 * (poolWaitSum - before.poolWaitSum) / (poolWaitCount - before.poolWaitCount));
        }
    }

    /** A message text of a typical chat length that carries its id and its send stamp (epoch µs). */
    static String text(String clientMessageId) {
        var now = java.time.Instant.now();
        return "benchmark message " + clientMessageId + " sent at " + (now.getEpochSecond() * 1_000_000
                + now.getNano() / 1_000) + " us, some words to make it look like a chat line";
    }
}
