package com.hirechat.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one measured run of one system in one scenario.
 *
 * @param scenario  a (throughput), b (latency), c (idle connections), d (catch-up), e (export and rebuild)
 * @param system    the system's label
 * @param variant   e.g. the concurrency, "c=8"
 * @param run       1-based repetition
 * @param figures   named measurements (see {@link Report} for names and units)
 * @param integrity lost / duplicated / unacked counts, where the scenario sends messages
 */
record RunResult(String scenario, String system, String variant, int run, Map<String, Double> figures,
                 Recorder.Integrity integrity) {

    RunResult {
        figures = new LinkedHashMap<>(figures);
    }

    double figure(String name) {
        return figures.getOrDefault(name, Double.NaN);
    }
}
