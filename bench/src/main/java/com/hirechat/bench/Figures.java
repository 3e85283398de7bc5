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

    /** A message text of a typical chat length that carries its id and its send stamp (epoch µs). */
    static String text(String clientMessageId) {
        var now = java.time.Instant.now();
        return "benchmark message " + clientMessageId + " sent at " + (now.getEpochSecond() * 1_000_000
                + now.getNano() / 1_000) + " us, some words to make it look like a chat line";
    }
}
