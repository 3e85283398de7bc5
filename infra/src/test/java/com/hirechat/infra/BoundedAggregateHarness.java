package com.hirechat.infra;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.jdbi.v3.core.Jdbi;

import com.hirechat.commands.DomainJson;
import com.hirechat.domain.Conversation;
import com.hirechat.projections.TestDatabase;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Measures what one long conversation costs the write side (docs/benchmarks.md, "Bounded aggregate"): the newest
 * snapshot's size, the size of the aggregate read from it, and the latency of a send near message 100 and near the
 * last message. Not a test: run it by hand (see the benchmarks page for the command line).
 *
 * <p>PostgreSQL here is durable (fsync, synchronous commit, full page writes on), unlike the tests' shared server.
 */
public final class BoundedAggregateHarness {

    private static final int SAMPLES = 200;

    private BoundedAggregateHarness() {
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        var dir = Files.createTempDirectory("bounded-harness");
        try (var postgres = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(true)
                .setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on").start()) {
            try (var admin = postgres.getPostgresDatabase().getConnection(); var s = admin.createStatement()) {
                s.execute("CREATE DATABASE harness");
            }
            var database = new TestDatabase.Coordinates(postgres.getJdbcUrl("postgres", "harness"), "postgres", "postgres");
            var store = Jdbi.create(TestDatabase.dataSource(database));
            try (var app = TestServers.on(database, Map.of())) {
                var api = new ApiClient(app.uri());
                var seeker = api.login("seeker");
                // another conversation first, so that the sends timed at message 100 do not pay for the JIT's warm-up
                var warmUp = "api/conversations/" + api.startConversation(seeker, "warm-up") + "/messages";
                fill(api, warmUp, seeker, "w", 5_000);
                timedSends(api, warmUp, seeker, "w-timed");
                var conversation = api.startConversation(seeker, "recruiter");
                var path = "api/conversations/" + conversation + "/messages";
                // messages 1..99, then 200 timed sends around message 100
                fill(api, path, seeker, "a", 99);
                var early = timedSends(api, path, seeker, "early");
                report("send at message ~100", early);
                fill(api, path, seeker, "b", total - 99 - 2 * SAMPLES);
                var late = timedSends(api, path, seeker, "late");
                report("send at message ~" + total, late);
                var retryOfFirst = timedOnce(() -> check(api.post(path, seeker,
                        "{\"clientMessageId\":\"a-1\",\"text\":\"m\"}")));
                System.out.printf("retry of message 1 (warm aggregate): %.2f ms%n", retryOfFirst / 1e6);
                snapshotReport(store, conversation);
            }
            // a cold start: the first send loads the aggregate from its newest snapshot and the events after it
            try (var app = TestServers.on(database, Map.of())) {
                var api = new ApiClient(app.uri());
                var seeker = api.login("seeker");
                var conversation = store.withHandle(h -> h.createQuery(
                        "SELECT aggregate_identifier FROM domain_event_entry ORDER BY global_index DESC LIMIT 1")
                        .mapTo(String.class).one());
                var path = "api/conversations/" + conversation + "/messages";
                var cold = timedOnce(() -> check(api.post(path, seeker, "{\"clientMessageId\":\"cold\",\"text\":\"m\"}")));
                System.out.printf("first send after a restart (aggregate loaded): %.1f ms%n", cold / 1e6);
                var retry = timedOnce(() -> check(api.post(path, seeker, "{\"clientMessageId\":\"a-1\",\"text\":\"m\"}")));
                System.out.printf("retry of message 1 after the restart: %.2f ms%n", retry / 1e6);
            }
        }
    }

    private static void snapshotReport(Jdbi store, String conversation) throws Exception {
        var row = store.withHandle(h -> h.createQuery("""
                        SELECT sequence_number, length(payload) AS bytes, convert_from(payload, 'UTF8') AS json
                        FROM snapshot_event_entry WHERE aggregate_identifier = :id
                        ORDER BY sequence_number DESC LIMIT 1""")
                .bind("id", conversation).mapToMap().findOne());
        if (row.isEmpty()) {
            System.out.println("no snapshot stored");
            return;
        }
        long seq = ((Number) row.get().get("sequence_number")).longValue();
        System.out.printf("newest snapshot: at seq %d, %d bytes%n", seq, ((Number) row.get().get("bytes")).longValue());
        var state = DomainJson.snapshotMapper().readValue((String) row.get().get("json"), Conversation.class);
        System.out.printf("aggregate read from it: ~%d bytes on the heap (reflective estimate, compressed oops)%n",
                deepSize(state));
    }

    private static void fill(ApiClient api, String path, String token, String prefix, int count) throws Exception {
        // concurrent senders share the command worker's group commits: the conversation fills in minutes, not hours
        var next = new AtomicInteger(1);
        try (var pool = Executors.newFixedThreadPool(32)) {
            for (int t = 0; t < 32; t++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i <= count; i = next.getAndIncrement()) {
                        check(api.post(path, token, "{\"clientMessageId\":\"" + prefix + "-" + i
                                + "\",\"text\":\"message number " + i + " of a long conversation\"}"));
                    }
                    return null;
                });
            }
        }
    }

    private static List<Long> timedSends(ApiClient api, String path, String token, String prefix) {
        var nanos = new ArrayList<Long>();
        for (int i = 0; i < SAMPLES; i++) {
            var body = "{\"clientMessageId\":\"" + prefix + "-" + i + "\",\"text\":\"a timed message\"}";
            nanos.add(timedOnce(() -> check(api.post(path, token, body))));
        }
        return nanos;
    }

    private static long timedOnce(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return System.nanoTime() - start;
    }

    private static void check(ApiClient.Response response) {
        if (response.status() != 200) {
            throw new IllegalStateException("send failed: " + response);
        }
    }

    private static void report(String what, List<Long> nanos) {
        var sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s: median %.2f ms, p99 %.2f ms over %d sequential sends%n", what,
                sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6,
                sorted.size());
    }

    /**
     * The object graph's size as HotSpot lays it out with compressed oops: a 12-byte header, 4-byte references,
     * primitive fields at their width, arrays with a 16-byte header, every object rounded up to 8 bytes. Needs
     * {@code --add-opens} for the JDK's collections and strings.
     */
    static long deepSize(Object root) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        var pending = new ArrayList<Object>(List.of(root));
        long total = 0;
        while (!pending.isEmpty()) {
            var object = pending.removeLast();
            if (object == null || object instanceof Class<?> || object instanceof Enum<?> || !seen.add(object)) {
                continue;
            }
            var type = object.getClass();
            if (type.isArray()) {
                int length = Array.getLength(object);
                var component = type.getComponentType();
                total += align(16 + (long) length * width(component));
                if (!component.isPrimitive()) {
                    for (int i = 0; i < length; i++) {
                        pending.add(Array.get(object, i));
                    }
                }
                continue;
            }
            long size = 12;
            for (var c = type; c != null; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (Modifier.isStatic(field.getModifiers())) {
                        continue;
                    }
                    size += width(field.getType());
                    if (!field.getType().isPrimitive()) {
                        field.setAccessible(true);
                        pending.add(field.get(object));
                    }
                }
            }
            total += align(size);
        }
        return total;
    }

    private static int width(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class || !type.isPrimitive()) {
            return 4;
        }
        return type == short.class || type == char.class ? 2 : 1;
    }

    private static long align(long size) {
        return (size + 7) / 8 * 8;
    }
}
