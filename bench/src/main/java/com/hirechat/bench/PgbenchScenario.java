package com.hirechat.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The durability limit for scenario (a): pgbench inserting one message row per transaction (autocommit,
 * synchronous_commit as the server has it) at the same client concurrency and for the same window.
 * The row has the shape of HireChat's history row: ids, conversation, sender, text, timestamp.
 */
final class PgbenchScenario {

    static final String LABEL = "pgbench insert";
    /** Its name for {@code --systems}. */
    static final String SYSTEM = "pgbench";
    private static final String DATABASE = "pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    private final Setup setup;
    private final Postgres postgres;

    PgbenchScenario(Setup setup, Postgres postgres) {
        this.setup = setup;
        this.postgres = postgres;
    }

    List<RunResult> run(int concurrency) throws Exception {
        postgres.recreate(DATABASE);
        try (var connection = postgres.connect(DATABASE); var statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE bench_message (
                        message_id        uuid        PRIMARY KEY,
                        conversation_id   uuid        NOT NULL,
                        client_message_id varchar(64) NOT NULL,
                        sender_id         varchar(64) NOT NULL,
                        text              text        NOT NULL,
                        sent_at           timestamptz NOT NULL)""");
        }
        var script = setup.work().resolve("pgbench-insert.sql");
        Files.writeString(script, """
                \\set conversation random(1, 500)
                INSERT INTO bench_message (message_id, conversation_id, client_message_id, sender_id, text, sent_at) VALUES (gen_random_uuid(), ('00000000-0000-0000-0000-' || lpad(:conversation::text, 12, '0'))::uuid, md5(random()::text), 'bench-user-' || :conversation, 'benchmark message of a typical length, some words to make it look like a chat line', now());
                """);
        pgbench(concurrency, setup.warmupSeconds(), script);
        var results = new ArrayList<RunResult>();
        for (var run = 1; run <= setup.runs(); run++) {
            var window = ProcStats.Window.start(-1, setup.postmasterPid());
            var output = pgbench(concurrency, setup.throughputSeconds(), script);
            var usage = window.stop();
            var figures = new LinkedHashMap<String, Double>();
            figures.put("throughput", find(TPS, output));
            figures.put("ack_mean", find(LATENCY, output));
            figures.put("db_cores", usage.dbCores());
            results.add(new RunResult("a", LABEL, "c=" + concurrency, run, figures, null));
            Log.info("a c=%d pgbench run %d: %.0f tps", concurrency, run, figures.get("throughput"));
        }
        return results;
    }

    private String pgbench(int concurrency, int seconds, java.nio.file.Path script) throws IOException, InterruptedException {
        var command = List.of(setup.pgBin().resolve("pgbench").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(setup.pgPort()), "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(concurrency), "-j", Integer.toString(Math.min(concurrency, 2)),
                "-T", Integer.toString(seconds), "-f", script.toString(), DATABASE);
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed: " + output);
        }
        return output;
    }

    private static double find(Pattern pattern, String output) {
        var matcher = pattern.matcher(output);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }
}
