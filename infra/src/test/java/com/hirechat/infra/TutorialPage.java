package com.hirechat.infra;



import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The tutorial's chat page on the real {@code socket.io-client} from npm, run in Node (src/test/node/socketio-client,
 * installed with {@code npm ci} into target/ once): commands go in as JSON lines, what the page sees comes back.
 */
final class TutorialPage implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src/test/node/socketio-client");
    private static final Path INSTALLED = Path.of("target/socketio-client");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final Writer input;
    private final List<JsonNode> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final StringBuilder errors = new StringBuilder();

    private TutorialPage(Process process) {
        this.process = process;
        this.input = process.outputWriter(StandardCharsets.UTF_8);
        Thread.ofVirtual().start(() -> read(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofVirtual().start(() -> read(process.errorReader(StandardCharsets.UTF_8), false));
    }

    /** Opens the page for a user: {@code transports} is "polling,websocket" (io()'s default) or "websocket". */
    static TutorialPage open(URI server, String token, String user, String transports) {
        install();
        try {
            var process = new ProcessBuilder("node", INSTALLED.resolve("page.mjs").toString(),
                    server.toString(), token, user, transports).start();
            return new TutorialPage(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized void install() {
        try {
            Files.createDirectories(INSTALLED);
            for (var file : List.of("package.json", "package-lock.json", "page.mjs")) {
                Files.copy(SOURCE.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            if (Files.isDirectory(INSTALLED.resolve("node_modules/socket.io-client"))) {
                return;
            }
            var npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(INSTALLED.toFile()).redirectErrorStream(true)
                    // never to this process's output: surefire reads it as its channel
                    .redirectOutput(INSTALLED.resolve("npm-ci.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IllegalStateException("npm ci failed in " + INSTALLED);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void read(BufferedReader reader, boolean events) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (events) {
                    seen.add(JSON.readTree(line));
                } else {
                    synchronized (errors) {
                        errors.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Sends a command; returns its id, which its answer line carries. */
    int command(String op, Object... fields) {
        var command = JSON.createObjectNode().put("op", op).put("id", ids.incrementAndGet());
        for (int i = 0; i < fields.length; i += 2) {
            command.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
        try {
            input.write(command + "\n");
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return command.path("id").asInt();
    }

    /** Sends a command and waits for its answer line. */
    JsonNode call(String op, Object... fields) {
        var id = command(op, fields);
        return awaitLine(line -> line.path("id").asInt(-1) == id);
    }

    /** The first line (from the start) that matches, waiting for it. */
    JsonNode awaitLine(Predicate<JsonNode> matches) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> seen.stream().anyMatch(matches) || !process.isAlive());
        return seen.stream().filter(matches).findFirst()
                .orElseThrow(() -> new AssertionError("the page never saw it; it saw " + seen + "\n" + errors));
    }

    /** Waits for the n-th line (counting from 1) of this kind. */
    JsonNode awaitEvent(String event, int n) {
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> events(event).size() >= n || !process.isAlive());
        var matching = events(event);
        if (matching.size() < n) {
            throw new AssertionError("only " + matching.size() + " '" + event + "' seen: " + seen + "\n" + errors);
        }
        return matching.get(n - 1);
    }

    List<JsonNode> events(String event) {
        return seen.stream().filter(line -> event.equals(line.path("ev").asText())).toList();
    }

    /** The texts of every receive_message so far, in order. */
    List<String> received() {
        return events("receive_message").stream().map(line -> line.path("data").path("text").asText()).toList();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
