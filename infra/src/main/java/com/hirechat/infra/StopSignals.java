package com.hirechat.infra;

import java.util.List;

import sun.misc.Signal;

/**
 * SIGTERM, SIGINT (Ctrl+C) and SIGHUP (the terminal closed) as requests to stop, which the server answers by draining
 * and exiting with status 0. Left to the JVM, these signals ran the drain in a shutdown hook, at the same time as the
 * embedded PostgreSQL's own hook stopped the database under it and {@code java.util.logging}'s hook reset the logging;
 * the process then exited with 128 + the signal, as if it had failed ({@code BUILD FAILURE} under {@code mvn -Pserve}).
 * There is no supported API for this: {@code sun.misc.Signal} is exported by {@code jdk.unsupported} for exactly this use.
 */
final class StopSignals {

    private StopSignals() {
    }

    /**
     * Calls {@code onSignal} (on the JVM's signal thread) for each of these signals from now on. A signal the process was
     * started with ignored (SIGHUP under {@code nohup}, SIGINT under {@code &}) stays ignored: the JVM keeps it so.
     */
    static void handle(Runnable onSignal) {
        for (var name : List.of("TERM", "INT", "HUP")) {
            try {
                Signal.handle(new Signal(name), signal -> onSignal.run());
            } catch (IllegalArgumentException reserved) {
                // the JVM keeps the signal to itself (-Xrs): it then stops through the shutdown hook
            }
        }
    }
}
