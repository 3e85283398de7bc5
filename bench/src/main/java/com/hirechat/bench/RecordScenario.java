package com.hirechat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Scenario (e), the record at rest: a store of N events (100,000 in a full run) is exported by the compliance
 * command (JSON Lines and CSV, the whole time range) and every projection is rebuilt beside the live tables
 * ({@code rebuild --no-switch}), each as the jar's own process while the server runs. Events/s = events / wall
 * time of the process, start-up included; the rebuild also reports its own replay rate.
 */
final class RecordScenario {

    private static final int CONVERSATIONS = 50;
    private static final int IN_FLIGHT_PER_SENDER = 8;
    private static final Pattern EXPORTED = Pattern.compile("exported (\\d+) events");
    private static final Pattern REBUILT = Pattern.compile("from (\\d+) events in [\\d.]+ s \\((\\d+) events/s\\)");

    private final Setup setup;
    private final Postgres postgres;

    RecordScenario(Setup setup, Postgres postgres) {
        this.setup = setup;
        this.postgres = postgres;
    }

    List<RunResult> run(Target target) throws Exception {
        var tag = "e" + Long.toString(System.nanoTime() % 1_000_000, 36);
        fill(target, tag, setup.recordEvents());
        var results = new ArrayList<RunResult>();
        for (var run = 1; run <= setup.runs(); run++) {
            for (var format : List.of("jsonl", "csv")) {
                var out = setup.work().resolve("export." + format);
                var done = jar("export", "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z",
                        "--format", format, "--out", out.toString(), "--reason", "benchmark");
                var events = number(EXPORTED, done.output(), 1);
                results.add(result("export " + format, run, events, done.seconds(), Double.NaN, Files.size(out)));
                Files.deleteIfExists(out);
            }
            var done = jar("rebuild", "--no-switch");
            results.add(result("rebuild (all projections)", run, number(REBUILT, done.output(), 1), done.seconds(),
                    number(REBUILT, done.output(), 2), Double.NaN));
        }
        return results;
    }

    private RunResult result(String task, int run, double events, double seconds, double ownRate, double bytes) {
        var figures = new LinkedHashMap<String, Double>();
        figures.put("events", events);
        figures.put("seconds", seconds);
        figures.put("events_per_s", events / seconds);
        figures.put("replay_events_per_s", ownRate);
        figures.put("file_mib", bytes / 1_048_576);
        Log.info("e %s run %d: %,.0f events in %.1f s (%,.0f events/s)", task, run, events, seconds, events / seconds);
        return new RunResult("e", Report.HIRECHAT, task, run, figures, null);
    }

    /** Senders in {@link #CONVERSATIONS} conversations keep a few messages each in flight until the store holds {@code events}. */
    private void fill(Target target, String tag, long events) throws Exception {
        try (var fleet = Fleet.open(target, tag, CONVERSATIONS)) {
            var missing = events - storedEvents();
            if (missing <= 0) {
                return;
            }
            var recorder = fleet.newRecorder();
            recorder.recording(false);
            var counter = new AtomicLong();
            recorder.onAck((sender, id) -> send(fleet, recorder, tag, counter, missing, sender));
            for (var k = 0; k < CONVERSATIONS; k++) {
                for (var i = 0; i < IN_FLIGHT_PER_SENDER; i++) {
                    send(fleet, recorder, tag, counter, missing, 2 * k);
                }
            }
            var deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (recorder.ackedCount() < missing && System.nanoTime() < deadline) {
                // the senders run on the clients' ack callbacks; this thread only watches the count
                Thread.sleep(100);
            }
            Log.info("e: store holds %,d events", storedEvents());
        }
    }

    private static void send(Fleet fleet, Recorder recorder, String tag, AtomicLong counter, long limit, int sender) {
        var n = counter.incrementAndGet();
        if (n > limit) {
            return;
        }
        var id = tag + "-" + n;
        recorder.sending(id, sender / 2, sender);
        fleet.clients.get(sender).send(fleet.conversations.get(sender / 2), id, Figures.text(id));
    }

    private long storedEvents() throws SQLException {
        try (var connection = postgres.connect(Target.Kind.HIRECHAT.database);
             var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT count(*) FROM domain_event_entry")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private record Done(String output, double seconds) {
    }

    private Done jar(String... arguments) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(setup.javaBin().toString(), "-jar",
                setup.repo().resolve("infra/target/hirechat.jar").toString()));
        command.addAll(List.of(arguments));
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HIRECHAT_JDBC_URL", setup.jdbcUrl(Target.Kind.HIRECHAT.database));
        builder.environment().put("HIRECHAT_JDBC_USER", "postgres");
        builder.environment().put("HIRECHAT_TOKEN_SECRET", Setup.TOKEN_SECRET);
        builder.environment().put("HIRECHAT_MASTER_KEY", Setup.MASTER_KEY);
        var started = System.nanoTime();
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", arguments) + " failed:\n" + output);
        }
        return new Done(output, (System.nanoTime() - started) / 1e9);
    }

    private static double number(Pattern pattern, String output, int group) {
        var matcher = pattern.matcher(output);
        if (!matcher.find()) {
            throw new IllegalStateException("unexpected output: " + output);
        }
        return Double.parseDouble(matcher.group(group));
    }
}
