package com.hirechat.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * Where things are and how long to run, from the command line of {@code bench/run}.
 *
 * @param repo          the repository root (for infra/target/hirechat.jar, bench/node-peer, docs/)
 * @param work          scratch folder for server logs and pgbench scripts
 * @param javaBin       the JDK 21+ {@code java} that runs HireChat and the raw peer
 * @param pgBin         folder of the PostgreSQL binaries (pgbench)
 * @param pgPort        the PostgreSQL server every system uses
 * @param postmasterPid its postmaster, for PostgreSQL's CPU use
 * @param quick         short durations for development
 * @param runs          repetitions per system and scenario; the report shows medians
 * @param only          run only the scenarios named here (a, b, c, d); empty: all
 * @param warmupSeconds untimed load before the measured runs of (a) and (b)
 * @param systems       measure only these systems (pgbench, hirechat, socketio, raw); empty: all. For experiments
 */
record Setup(Path repo, Path work, Path javaBin, Path pgBin, int pgPort, long postmasterPid, boolean quick, int runs,
             String only, int warmupSeconds, List<String> systems) {

    static final String TOKEN_SECRET = "hirechat-benchmark-secret-not-for-production-0123456789";

    /** The servers' master key (32 bytes, base64): fixed, so every node and run of the benchmark opens the same data keys. */

    static final String MASTER_KEY = "aGlyZWNoYXQtYmVuY2htYXJrLW1hc3Rlci1rZXktMzI=";

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + database;
    }

    boolean runs(String scenario) {
        return only.isEmpty() || only.contains(scenario);
    }

    boolean measures(String system) {
        return systems.isEmpty() || systems.contains(system);
    }

    boolean measures(Target.Kind kind) {
        return measures(kind.system());
    }

    /** Closed-loop measuring window of scenario (a), seconds. */
    int throughputSeconds() {
        return quick ? 4 : 12;
    }

    /** Measuring window of scenario (b), seconds. */
    int latencySeconds() {
        return quick ? 5 : 20;
    }

    int idleConnections() {
        return quick ? 2_000 : 10_000;
    }

    int catchUpMessages() {
        return quick ? 2_000 : 10_000;
    }

    /** Events in the store that scenario (e) exports and rebuilds. */
    long recordEvents() {
        return quick ? 10_000 : 100_000;
    }
}
