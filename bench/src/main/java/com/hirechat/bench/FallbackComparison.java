package com.hirechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Scenario (a) for HireChat once per runtime fallback ({@code bench/run --fallbacks none,group-commit,…}): each
 * variant runs the server with {@code HIRECHAT_RUNTIME_FALLBACKS} set to it ({@code none}: the custom runtime), so
 * the table says what each custom piece buys against Axon's stock component.
 */
final class FallbackComparison {

    private static final List<String> FIGURES = List.of("throughput", "ack_p50", "server_cores", "db_cores");

    private FallbackComparison() {
    }

    static void run(Setup setup, Postgres postgres, List<String> variants, List<Integer> concurrencies,
                    Map<String, String> environment, Path out) throws Exception {
        var throughput = new ThroughputScenario(setup, postgres);
        var results = new LinkedHashMap<String, List<RunResult>>();
        for (var raw : variants) {
            var variant = raw.strip();
            var settings = variant.equals("none") ? Map.<String, String>of()
                    : Map.of("HIRECHAT_RUNTIME_FALLBACKS", variant);
            var runs = new ArrayList<RunResult>();
            try (var target = Target.start(Target.Kind.HIRECHAT, setup, postgres, "ab-" + variant, settings)) {
                for (var concurrency : concurrencies) {
                    runs.addAll(throughput.run(target, concurrency));
                }
            }
            results.put(variant, runs);
        }
        write(out, results, concurrencies, environment);
    }

    private static void write(Path out, Map<String, List<RunResult>> results, List<Integer> concurrencies,
                              Map<String, String> environment) throws IOException {
        var document = new LinkedHashMap<String, Object>();
        document.put("environment", environment);
        document.put("runs", results);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("benchmarks/fallbacks.json").toFile(), document);
        var table = new StringBuilder("""
                # Runtime fallbacks: scenario (a), HireChat only

                Each row runs the server with `HIRECHAT_RUNTIME_FALLBACKS` set to the fallback (`none`: every custom
                piece in use); median [min–max] of the runs. Throughput in msg/s, ack p50 in ms, cores of the server
                and of PostgreSQL.

                """);
        table.append("| fallback |");
        for (var concurrency : concurrencies) {
            for (var figure : FIGURES) {
                table.append(" c=").append(concurrency).append(' ').append(figure.replace('_', ' ')).append(" |");
            }
        }
        table.append("\n| --- |").append(" ---: |".repeat(concurrencies.size() * FIGURES.size())).append('\n');
        for (var entry : results.entrySet()) {
            table.append("| `").append(entry.getKey()).append("` |");
            for (var concurrency : concurrencies) {
                for (var figure : FIGURES) {
                    table.append(' ').append(cell(entry.getValue(), "c=" + concurrency, figure)).append(" |");
                }
            }
            table.append('\n');
        }
        table.append("\nEnvironment:\n\n");
        environment.forEach((name, value) -> table.append("- ").append(name).append(": ").append(value).append('\n'));
        Files.writeString(out.resolve("benchmarks/fallbacks.md"), table);
        Log.info("wrote %s", out.resolve("benchmarks/fallbacks.md"));
    }

    private static String cell(List<RunResult> runs, String variant, String figure) {
        var values = runs.stream().filter(run -> run.variant().equals(variant))
                .mapToDouble(run -> run.figure(figure)).filter(Double::isFinite).toArray();
        if (values.length == 0) {
            return "—";
        }
        var format = figure.equals("throughput") ? "%.0f" : "%.2f";
        var min = java.util.Arrays.stream(values).min().orElseThrow();
        var max = java.util.Arrays.stream(values).max().orElseThrow();
        return Report.fmt(format + " [" + format + "–" + format + "]", Stats.median(values), min, max);
    }
}
