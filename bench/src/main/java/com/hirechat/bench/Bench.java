package com.hirechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Runs the whole comparison (started by {@code bench/run}, which builds the jars and starts PostgreSQL) and
 * writes benchmarks.md, its plots and results.json. Also hosts the raw broadcast peer: {@code raw-server PORT}.
 */
public final class Bench {

    private static final List<Integer> CONCURRENCIES = List.of(1, 8);

    private Bench() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable failure) {
            // a command-line program: the failure and its trace go to stderr, beside the progress lines
            failure.printStackTrace();
            // HttpClient and OkHttp threads are not daemons: without this a failed run would hang
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        var options = parse(args);
        var setup = new Setup(Path.of(options.get("repo")).toAbsolutePath(), Path.of(options.get("work")).toAbsolutePath(),
                Path.of(options.get("java")), Path.of(options.get("pg-bin")), Integer.parseInt(options.get("pg-port")),
                Long.parseLong(options.get("postmaster-pid")), options.containsKey("quick"),
                Integer.parseInt(options.getOrDefault("runs", options.containsKey("quick") ? "2" : "3")),
                options.getOrDefault("only", ""),
                Integer.parseInt(options.getOrDefault("warmup", options.containsKey("quick") ? "2" : "45")),
                systems(options.getOrDefault("systems", "")));
        var out = Path.of(options.getOrDefault("out", setup.quick() ? "bench/target/quick" : "docs")).toAbsolutePath();
        Files.createDirectories(setup.work());
        Files.createDirectories(out.resolve("benchmarks"));
        var postgres = new Postgres(setup);
        var environment = Environment.describe(setup, postgres);
        if (options.containsKey("fallbacks")) {
            // an experiment of its own: scenario (a) for HireChat once per fallback, nothing else
            FallbackComparison.run(setup, postgres, List.of(options.get("fallbacks").split(",")), CONCURRENCIES,
                    environment, out);
            return;
        }
        var started = System.nanoTime();
        var results = new ArrayList<RunResult>();
        var latency = new LatencyScenario(setup, postgres);
        if (setup.runs("a")) {
            var throughput = new ThroughputScenario(setup, postgres);
            if (setup.measures(PgbenchScenario.SYSTEM)) {
                var pgbench = new PgbenchScenario(setup, postgres);
                for (var concurrency : CONCURRENCIES) {
                    results.addAll(pgbench.run(concurrency));
                }
            }
            for (var kind : measured(setup)) {
                try (var target = Target.start(kind, setup, postgres, "a-" + kind.name().toLowerCase())) {
                    for (var concurrency : CONCURRENCIES) {
                        results.addAll(throughput.run(target, concurrency));
                    }
                }
            }
        }
        if (setup.runs("b")) {
            // HireChat over Socket.IO is compared in (a) only: (b)'s latency is HireChat's, whichever protocol
            for (var kind : measured(setup).stream().filter(kind -> kind != Target.Kind.HIRECHAT_SOCKETIO).toList()) {
                try (var target = Target.start(kind, setup, postgres, "b-" + kind.name().toLowerCase())) {
                    results.addAll(latency.run(target));
                }
            }
        }
        if (setup.runs("c")) {
            try (var target = Target.start(Target.Kind.HIRECHAT, setup, postgres, "c-hirechat")) {
                results.addAll(new IdleConnectionsScenario(setup).run(target));
            }
        }
        if (setup.runs("d")) {
            try (var target = Target.start(Target.Kind.HIRECHAT, setup, postgres, "d-hirechat")) {
                results.addAll(new CatchUpScenario(setup).run(target));
            }
        }
        if (setup.runs("e")) {
            try (var target = Target.start(Target.Kind.HIRECHAT, setup, postgres, "e-hirechat")) {
                results.addAll(new RecordScenario(setup, postgres).run(target));
            }
        }
        if (setup.runs("f")) {
            // its own table (benchmarks/attachments.md), quoted in benchmarks.md's "Attachments"
            Log.info("(f) attachments:%n%s", new AttachmentScenario(setup, postgres).run(out));
        }
        environment.put("load average (1, 5, 15 min) at the end",
                Files.readString(Path.of("/proc/loadavg")).strip().split(" (?=\\d+/)")[0]);
        environment.put("whole comparison took",
                Report.fmt("%.1f min", (System.nanoTime() - started) / 60e9));
        if (results.isEmpty()) {
            // only (f) ran: its table is in benchmarks/attachments.md, and there is no comparison to write
            return;
        }
        write(out, setup, results, environment, latency);
        Log.info("wrote %s", out.resolve("benchmarks.md"));
    }

    private static void write(Path out, Setup setup, List<RunResult> results, Map<String, String> environment,
                              LatencyScenario latency) throws IOException {
        var json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        var document = new LinkedHashMap<String, Object>();
        document.put("environment", environment);
        document.put("runs", results);
        json.writeValue(out.resolve("benchmarks/results.json").toFile(), document);
        if (!latency.medianSamples.isEmpty()) {
            Plots.percentiles(out.resolve("benchmarks/latency-e2e.png"),
                    "(b) end-to-end latency at 1,000 msg/s, 1,000 users (median run)", latency.medianSamples);
            Plots.percentiles(out.resolve("benchmarks/latency-ack.png"),
                    "(b) durable ack latency at 1,000 msg/s (median run)", latency.medianAckSamples);
        }
        var report = new Report(results, environment, analysis(setup));
        var variants = CONCURRENCIES.stream().map(c -> "c=" + c).toList();
        var bySystem = new LinkedHashMap<String, List<Double>>();
        for (var system : List.of(PgbenchScenario.LABEL, Report.HIRECHAT, Report.SOCKETIO, Report.RAW)) {
            bySystem.put(system, variants.stream().map(v -> report.median("a", system, v, "throughput")).toList());
        }
        if (results.stream().anyMatch(r -> r.scenario().equals("a"))) {
            Plots.throughput(out.resolve("benchmarks/throughput.png"), variants, bySystem);
        }
        Files.writeString(out.resolve("benchmarks.md"), report.render());
    }

    private static List<Target.Kind> measured(Setup setup) {
        return Arrays.stream(Target.Kind.values()).filter(setup::measures).toList();
    }

    private static List<String> systems(String option) {
        var known = Stream.concat(Stream.of(PgbenchScenario.SYSTEM),
                Arrays.stream(Target.Kind.values()).map(Target.Kind::system)).toList();
        var systems = option.isBlank() ? List.<String>of() : List.of(option.split(","));
        for (var system : systems) {
            if (!known.contains(system)) {
                throw new IllegalArgumentException("--systems takes a comma-separated subset of " + known + ", not " + system);
            }
        }
        return systems;
    }

    private static String analysis(Setup setup) throws IOException {
        var file = setup.repo().resolve("bench/analysis.md");
        return Files.exists(file) ? Files.readString(file) : "";
    }

    private static Map<String, String> parse(String[] args) {
        var options = new LinkedHashMap<String, String>();
        for (var i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            var name = args[i].substring(2);
            if (name.equals("quick")) {
                options.put(name, "true");
            } else {
                options.put(name, args[++i]);
            }
        }
        for (var required : List.of("repo", "work", "java", "pg-bin", "pg-port", "postmaster-pid")) {
            if (!options.containsKey(required)) {
                throw new IllegalArgumentException("--" + required + " is required (bench/run passes it)");
            }
        }
        return options;
    }

    /** Machine, versions and settings for the report. */
    static final class Environment {
        private Environment() {
        }

        static Map<String, String> describe(Setup setup, Postgres postgres) throws Exception {
            var environment = new LinkedHashMap<String, String>();
            environment.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            environment.put("mode", setup.quick() ? "quick (short durations: development only)" : "full");
            environment.put("runs", Integer.toString(setup.runs()));
            environment.put("durations", Report.fmt("warm-up %d s; (a) %d s per run; (b) %d s per run",
                    setup.warmupSeconds(), setup.throughputSeconds(), setup.latencySeconds()));
            environment.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores");
            environment.put("memory", memTotal());
            environment.put("kernel", command("uname", "-sr"));
            environment.put("load average (1, 5, 15 min) at the start",
                    Files.readString(Path.of("/proc/loadavg")).strip().split(" (?=\\d+/)")[0]);
            environment.put("HireChat commit", command("git", "-C", setup.repo().toString(), "rev-parse", "--short", "HEAD"));
            environment.put("Java (servers)", firstLine(command(setup.javaBin().toString(), "-version")));
            environment.put("Java (load generator)", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            environment.put("Node.js", command("node", "--version"));
            environment.put("socket.io / pg (npm)", packageVersion(setup, "socket.io") + " / " + packageVersion(setup, "pg"));
            try (var connection = postgres.connect("postgres"); var statement = connection.createStatement();
                 var rows = statement.executeQuery("SELECT version()")) {
                rows.next();
                environment.put("PostgreSQL", rows.getString(1));
            }
            var settings = new ArrayList<String>();
            for (var name : List.of("synchronous_commit", "fsync", "wal_sync_method", "full_page_writes", "shared_buffers",
                    "max_connections", "wal_level", "commit_delay")) {
                settings.add(name + "=" + postgres.setting(name));
            }
            environment.put("PostgreSQL settings", String.join(", ", settings));
            environment.put("HireChat settings", "HIRECHAT_MESSAGES_PER_SECOND=1000000, HIRECHAT_MESSAGE_BURST=1000000, "
                    + "HIRECHAT_MAX_CONNECTIONS_PER_USER=100000, HIRECHAT_IDLE_TIMEOUT_SECONDS=3600, a fixed HIRECHAT_MASTER_KEY, "
                    + "others default"
                    + " (Hikari pool 16, outbox 1,024 frames); JVM options "
                    + Optional.ofNullable(System.getenv("BENCH_SERVER_JVM_OPTS")).filter(o -> !o.isBlank())
                            .orElse("default")
                    + (System.getenv("BENCH_JFR") != null ? " + Java Flight Recorder (profiling run)" : ""));
            return environment;
        }

        private static String cpuModel() throws IOException {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        }

        private static String memTotal() throws IOException {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Report.fmt("%.1f GiB",
                            Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0)).orElse("unknown");
        }

        private static String packageVersion(Setup setup, String name) {
            try {
                var file = setup.repo().resolve("bench/node-peer/node_modules/" + name + "/package.json");
                return new ObjectMapper().readTree(file.toFile()).path("version").asText("?");
            } catch (IOException e) {
                return "?";
            }
        }

        private static String firstLine(String text) {
            return text.lines().findFirst().orElse("");
        }

        static String command(String... command) {
            try {
                var process = new ProcessBuilder(command).redirectErrorStream(true).start();
                var output = new String(process.getInputStream().readAllBytes()).strip();
                process.waitFor(30, TimeUnit.SECONDS);
                return output;
            } catch (IOException | InterruptedException e) {
                return "unknown";
            }
        }
    }
}
