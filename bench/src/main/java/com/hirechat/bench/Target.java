package com.hirechat.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.OkHttpClient;

/** A system under test, running as its own process against the shared PostgreSQL (or none, for the raw peer). */
final class Target implements AutoCloseable {

    /** The systems the benchmark drives with the same Java scenario. */
    enum Kind {
        HIRECHAT("HireChat", "hirechat", "message_history"),
        /** HireChat driven through its Socket.IO endpoint by the same client as the Socket.io peer (issue 28). */
        HIRECHAT_SOCKETIO("HireChat over Socket.IO", "hirechatsio", "message_history"),
        SOCKETIO("Socket.io + pg", "socketio", "messages"),
        RAW("raw Helidon WS", null, null);

        final String label;
        final String database;
        final String historyTable;

        Kind(String label, String database, String historyTable) {
            this.label = label;
            this.database = database;
            this.historyTable = historyTable;
        }

        /** The HireChat server, whichever protocol drives it. */
        boolean isHireChat() {
            return this == HIRECHAT || this == HIRECHAT_SOCKETIO;
        }

        /** Its name for {@code --systems}. */
        String system() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Kind kind;
    private final Process process;
    private final URI base;
    private final Tokens tokens = new Tokens(Setup.TOKEN_SECRET);
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(4);
    // HTTP/1.1: an h2c upgrade request would be swallowed by Engine.IO's upgrade handler in the Node peer
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(clientThreads)
            .connectTimeout(Duration.ofSeconds(30)).build();
    private OkHttpClient okHttp;

    /** Where it listens (for scenarios that speak HTTP themselves). */
    URI base() {
        return base;
    }

    private Target(Kind kind, Process process, URI base) {
        this.kind = kind;
        this.process = process;
        this.base = base;
    }

    /** Starts the system on a free port with a fresh database and returns once it answers its health check. */
    static Target start(Kind kind, Setup setup, Postgres postgres, String logName) throws Exception {
        return start(kind, setup, postgres, logName, Map.of());
    }

    /** As {@link #start(Kind, Setup, Postgres, String)}, HireChat with {@code settings} added to its environment. */
    static Target start(Kind kind, Setup setup, Postgres postgres, String logName, Map<String, String> settings)
            throws Exception {
        if (kind.database != null) {
            postgres.recreate(kind.database);
        }
        var port = freePort();
        var log = setup.work().resolve(logName + ".log");
        var builder = switch (kind) {
            case HIRECHAT, HIRECHAT_SOCKETIO -> {
                var command = new ArrayList<String>(List.of(setup.javaBin().toString()));
                var jfr = System.getenv("BENCH_JFR");
                if (jfr != null && !jfr.isBlank()) {
                    // profiling runs only: bench/run --jfr records the server with Java Flight Recorder
                    command.add("-XX:StartFlightRecording=filename=" + setup.work().resolve(logName + ".jfr")
                            + ",settings=profile,dumponexit=true");
                }
                var serverOptions = System.getenv("BENCH_SERVER_JVM_OPTS");
                if (serverOptions != null && !serverOptions.isBlank()) {
                    // experiments only (e.g. GC settings): the published figures run the server as shipped
                    command.addAll(List.of(serverOptions.trim().split("\\s+")));
                }
                command.addAll(List.of("-jar", setup.repo().resolve("infra/target/hirechat.jar").toString(), "serve"));
                var b = new ProcessBuilder(command);
                var env = b.environment();
                env.put("HIRECHAT_HOST", "127.0.0.1");
                env.put("HIRECHAT_PORT", Integer.toString(port));
                env.put("HIRECHAT_JDBC_URL", setup.jdbcUrl(kind.database));
                env.put("HIRECHAT_JDBC_USER", "postgres");
                env.put("HIRECHAT_TOKEN_SECRET", Setup.TOKEN_SECRET);
                env.put("HIRECHAT_MASTER_KEY", Setup.MASTER_KEY);
                // the benchmark's users send far faster than people; the limits would measure the limiter
                env.put("HIRECHAT_MESSAGES_PER_SECOND", "1000000");
                env.put("HIRECHAT_MESSAGE_BURST", "1000000");
                env.put("HIRECHAT_MAX_CONNECTIONS_PER_USER", "100000");
                env.put("HIRECHAT_IDLE_TIMEOUT_SECONDS", "3600");
                env.putAll(settings);
                // run in the scratch folder: no hirechat.yaml or ./data of the developer's is picked up
                b.directory(setup.work().toFile());
                yield b;
            }
            case SOCKETIO -> {
                var b = new ProcessBuilder("node", "server.js");
                b.directory(setup.repo().resolve("bench/node-peer").toFile());
                b.environment().put("PORT", Integer.toString(port));
                b.environment().put("DATABASE_URL",
                        "postgres://postgres@127.0.0.1:" + setup.pgPort() + "/" + kind.database);
                yield b;
            }
            case RAW -> new ProcessBuilder(setup.javaBin().toString(), "-cp",
                    setup.repo().resolve("bench/target/hirechat-bench.jar").toString(),
                    RawBroadcastServer.class.getName(), Integer.toString(port));
        };
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        var process = builder.start();
        var target = new Target(kind, process, URI.create("http://127.0.0.1:" + port + "/"));
        try {
            target.awaitHealthy(log);
        } catch (Exception | Error e) {
            target.close();
            throw e;
        }
        return target;
    }

    private void awaitHealthy(Path log) throws Exception {
        var path = kind.isHireChat() ? "health/ready" : "health";
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(kind.label + " exited at start; see " + log + ":\n" + tail(log));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            // another process: its readiness can only be polled, within the 120 s deadline
            Thread.sleep(200);
        }
        throw new IllegalStateException(kind.label + " not ready within 120 s; see " + log);
    }

    private static String tail(Path log) throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * One conversation per pair of users. HireChat: "Contact" via POST /api/conversations (as the host site's
     * users would); the peers have rooms that exist by name, so they get a fresh UUID each.
     */
    List<String> createConversations(List<String[]> pairs) throws Exception {
        if (kind == Kind.HIRECHAT_SOCKETIO) {
            // the tutorial's room names; join_room starts each pair's conversation, as the tutorial's page does
            return pairs.stream().map(pair -> "chat-" + (pair[0].compareTo(pair[1]) <= 0
                    ? pair[0] + "-" + pair[1] : pair[1] + "-" + pair[0])).toList();
        }
        if (kind != Kind.HIRECHAT) {
            return pairs.stream().map(pair -> UUID.randomUUID().toString()).toList();
        }
        var gate = new Semaphore(8);
        var futures = new ArrayList<CompletableFuture<String>>();
        for (var pair : pairs) {
            gate.acquire();
            var request = HttpRequest.newBuilder(base.resolve("api/conversations"))
                    .header("Authorization", "Bearer " + tokens.mint(pair[0]))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("with", pair[1]))))
                    .build();
            futures.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> gate.release())
                    .thenApply(response -> {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("POST /api/conversations: " + response.statusCode()
                                    + " " + response.body());
                        }
                        try {
                            return JSON.readTree(response.body()).path("conversationId").asText();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    CompletableFuture<ChatClient> connect(String userId, ChatClient.Events events) {
        return switch (kind) {
            case HIRECHAT -> HireChatClient.connect(http, base, tokens.mint(userId), events);
            case RAW -> HireChatClient.connect(http, base, "raw", events);
            case SOCKETIO, HIRECHAT_SOCKETIO -> {
                synchronized (this) {
                    if (okHttp == null) {
                        okHttp = SocketIoClient.sharedHttp();
                    }
                }
                yield SocketIoClient.connect(okHttp, base, userId,
                        kind == Kind.HIRECHAT_SOCKETIO ? tokens.mint(userId) : null, events);
            }
        };
    }

    /** A sum over the lines of one Prometheus metric whose labels contain {@code labelPart}; empty when absent. */
    Optional<Double> metric(String name, String labelPart) {
        if (!kind.isHireChat()) {
            return Optional.empty();
        }
        try {
            var body = http.send(HttpRequest.newBuilder(base.resolve("metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Double sum = null;
            for (var line : body.split("\n")) {
                if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                    if (!line.contains(labelPart)) {
                        continue;
                    }
                    var value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    sum = sum == null ? value : sum + value;
                }
            }
            return Optional.ofNullable(sum);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Events not yet in the read models (hirechat_projection_lag summed over processors). */
    Optional<Double> projectionLag() {
        return metric("hirechat_projection_lag", "");
    }

    /** Runs {@code jcmd <pid> GC.run} so a heap reading counts live objects only. */
    void forceGc(Setup setup) throws Exception {
        var jcmd = setup.javaBin().resolveSibling("jcmd");
        new ProcessBuilder(jcmd.toString(), Long.toString(pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (okHttp != null) {
            okHttp.dispatcher().executorService().shutdownNow();
            okHttp.connectionPool().evictAll();
        }
        clientThreads.shutdownNow();
    }
}
