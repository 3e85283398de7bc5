package com.hirechat.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.postgresql.PGConnection;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * (f) Attachments (issue 26): upload and download MB/s of one 10 MiB file through the API, beside PostgreSQL's own
 * {@code COPY … FROM STDIN} and {@code pg_read_binary_file} of the same bytes on the same database; then the server's
 * heap (its {@code jvm_memory_used_bytes} for the heap, from /metrics) while 20 clients upload 10 MiB each at once.
 * Writes {@code benchmarks/attachments.md} (a table for docs/benchmarks.md's "Attachments").
 */
final class AttachmentScenario {

    static final int SIZE = 10 * 1024 * 1024;
    private static final int CONCURRENT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Setup setup;
    private final Postgres postgres;
    private final Tokens tokens = new Tokens(Setup.TOKEN_SECRET);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30)).build();

    AttachmentScenario(Setup setup, Postgres postgres) {
        this.setup = setup;
        this.postgres = postgres;
    }

    /** Runs the scenario on a fresh HireChat and returns the markdown table it also writes to {@code out}. */
    String run(Path out) throws Exception {
        var repeats = setup.quick() ? 2 : 5;
        try (var target = Target.start(Target.Kind.HIRECHAT, setup, postgres, "f-hirechat",
                java.util.Map.of("HIRECHAT_ATTACHMENT_QUOTA_BYTES", Long.toString(1L << 30)))) {
            var file = pdfOf(SIZE, 1);
            var uploads = new ArrayList<Double>();
            var downloads = new ArrayList<Double>();
            for (int i = 0; i < repeats; i++) {
                var user = "bench-up-" + i;
                var token = tokens.mint(user);
                var conversation = start(target.base(), token, "bench-peer-" + i);
                var bytes = pdfOf(SIZE, 100 + i);   // a new file each time: nothing is deduplicated
                var started = System.nanoTime();
                var id = upload(target.base(), token, conversation, bytes);
                uploads.add(mbPerSecond(SIZE, System.nanoTime() - started));
                started = System.nanoTime();
                var back = http.send(HttpRequest.newBuilder(target.base().resolve("api/conversations/" + conversation
                        + "/attachments/" + id)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                downloads.add(mbPerSecond(SIZE, System.nanoTime() - started));
                if (back.statusCode() != 200 || back.body().length != SIZE) {
                    throw new IllegalStateException("download failed: " + back.statusCode());
                }
            }
            var copyIn = new ArrayList<Double>();
            var readFile = new ArrayList<Double>();
            var onDisk = setup.work().resolve("f-blob.bin").toAbsolutePath();
            Files.write(onDisk, file);
            try (var connection = postgres.connect(Target.Kind.HIRECHAT.database)) {
                try (var statement = connection.createStatement()) {
                    statement.execute("CREATE TABLE IF NOT EXISTS bench_copy (data bytea)");
                }
                var copy = connection.unwrap(PGConnection.class).getCopyAPI();
                var hex = ("\\\\x" + HexFormat.of().formatHex(file) + "\n").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < repeats; i++) {
                    var started = System.nanoTime();
                    copy.copyIn("COPY bench_copy (data) FROM STDIN", new ByteArrayInputStream(hex));
                    copyIn.add(mbPerSecond(SIZE, System.nanoTime() - started));
                    started = System.nanoTime();
                    try (var read = connection.prepareStatement("SELECT pg_read_binary_file(?)")) {
                        read.setString(1, onDisk.toString());
                        try (var rows = read.executeQuery()) {
                            rows.next();
                            if (rows.getBytes(1).length != SIZE) {
                                throw new IllegalStateException("pg_read_binary_file read a different length");
                            }
                        }
                    }
                    readFile.add(mbPerSecond(SIZE, System.nanoTime() - started));
                }
                try (var statement = connection.createStatement()) {
                    statement.execute("DROP TABLE bench_copy");
                }
            }
            Files.deleteIfExists(onDisk);
            var heap = concurrentUploads(target, file);
            var table = new StringBuilder()
                    .append("| 10 MiB file, median of ").append(repeats).append(" | MB/s |\n| --- | --- |\n")
                    .append(row("upload through the API (POST …/attachments)", uploads))
                    .append(row("`COPY bench_copy (data) FROM STDIN` (hex bytea) on the same database", copyIn))
                    .append(row("download through the API (GET …/attachments/{id})", downloads))
                    .append(row("`SELECT pg_read_binary_file(…)` of the same bytes", readFile))
                    .append("\n| server heap, MiB (jvm_memory_used_bytes) | heap in use | of it old generation |\n")
                    .append("| --- | --- | --- |\n")
                    .append(String.format("| before the uploads | %.0f | %.0f |%n", heap.before() / 1048576,
                            heap.oldBefore() / 1048576))
                    .append(String.format("| highest during %d concurrent 10 MiB uploads (sampled every 50 ms) | %.0f | %.0f |%n",
                            CONCURRENT, heap.peak() / 1048576, heap.oldPeak() / 1048576))
                    .append(String.format("| after them | %.0f | %.0f |%n", heap.after() / 1048576,
                            heap.oldAfter() / 1048576))
                    .append(String.format("| the 20 uploads took | %.1f s | |%n", heap.seconds()));
            Files.writeString(out.resolve("benchmarks/attachments.md"), table.toString());
            return table.toString();
        }
    }

    /** The heap in use (garbage not yet collected included) and its old generation, where a whole file would land. */
    private record Heap(double before, double peak, double after, double oldBefore, double oldPeak, double oldAfter,
                        double seconds) {
    }

    private static final String OLD_GEN = "Old Gen\"";   // G1 (the default here) or Parallel

    private Heap concurrentUploads(Target target, byte[] file) throws Exception {
        var before = target.metric("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
        var oldBefore = target.metric("jvm_memory_used_bytes", OLD_GEN).orElse(Double.NaN);
        var samples = new ConcurrentLinkedQueue<Double>();
        var oldSamples = new ConcurrentLinkedQueue<Double>();
        var done = new AtomicBoolean();
        var sampler = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                target.metric("jvm_memory_used_bytes", "area=\"heap\"").ifPresent(samples::add);
                target.metric("jvm_memory_used_bytes", OLD_GEN).ifPresent(oldSamples::add);
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        });
        var started = System.nanoTime();
        try (var pool = Executors.newFixedThreadPool(CONCURRENT)) {
            var futures = new ArrayList<java.util.concurrent.Future<String>>();
            for (int i = 0; i < CONCURRENT; i++) {
                var user = "bench-many-" + i;
                futures.add(pool.submit(() -> {
                    var token = tokens.mint(user);
                    return upload(target.base(), token, start(target.base(), token, user + "-peer"), file);
                }));
            }
            for (var future : futures) {
                future.get();
            }
        }
        var seconds = (System.nanoTime() - started) / 1e9;
        done.set(true);
        sampler.join();
        var after = target.metric("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
        var peak = samples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        var oldAfter = target.metric("jvm_memory_used_bytes", OLD_GEN).orElse(Double.NaN);
        var oldPeak = oldSamples.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        Log.info("(f) heap: %.0f MiB before, %.0f MiB peak over %d samples, %.0f MiB after; old generation %.0f, %.0f, %.0f",
                before / 1048576, peak / 1048576, samples.size(), after / 1048576, oldBefore / 1048576,
                oldPeak / 1048576, oldAfter / 1048576);
        return new Heap(before, peak, after, oldBefore, oldPeak, oldAfter, seconds);
    }

    private String start(URI base, String token, String with) throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(base.resolve("api/conversations"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"with\":\"" + with + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("start failed: " + response.body());
        }
        return JSON.readTree(response.body()).path("conversationId").asText();
    }

    private String upload(URI base, String token, String conversation, byte[] bytes)
            throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(base.resolve("api/conversations/" + conversation
                        + "/attachments?name=bench.pdf")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("upload failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body()).path("id").asText();
    }

    /** A PDF header and random bytes: accepted by content, incompressible like the ciphertext it becomes. */
    static byte[] pdfOf(int size, long seed) {
        var bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        var header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, bytes, 0, header.length);
        return bytes;
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static String row(String what, List<Double> values) {
        var sorted = values.stream().sorted().toList();
        return String.format("| %s | %.0f |%n", what, sorted.get(sorted.size() / 2));
    }
}
