package com.hirechat.infra.crypto;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;

/**
 * The data keys in {@code data_keys}, wrapped by the master key: one live key per {@link KeySubject}, created on its
 * first use. Destroying a key deletes its wrapped bytes (the row stays as a tombstone), so nothing it sealed can be
 * opened again. Unwrapped keys are cached in memory. This node forgets the keys it destroys at once ({@link #forget});
 * keys destroyed by another node or a command-line run are noticed by the latest destruction time, looked up at most
 * every {@link #DESTRUCTIONS_CHECKED_EVERY} (one indexed query), which empties the cache when it moved.
 */
public final class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());
    /** How often the cache asks the table whether any key was destroyed elsewhere. */
    public static final Duration DESTRUCTIONS_CHECKED_EVERY = Duration.ofSeconds(1);
    /** Cached keys: past this the cache is emptied rather than grown (reloading a key is one indexed query). */
    private static final int MAX_CACHED = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final MasterKeys master;
    private final ConcurrentHashMap<KeySubject, Cached> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Cached> byId = new ConcurrentHashMap<>();

    private volatile long destructionsCheckedAt = System.nanoTime() - DESTRUCTIONS_CHECKED_EVERY.toNanos();
    private volatile String latestDestruction = "";

    private record Cached(Optional<DataKey> key) {
    }

    public KeyRing(DataSource dataSource, MasterKeys master) {
        this.jdbi = Jdbi.create(dataSource);
        this.master = master;
    }

    public MasterKeys master() {
        return master;
    }

    /** The subject's live key, created (and committed, on a connection of its own) if it has none. */
    public DataKey keyFor(KeySubject subject) {
        forgetWhatOthersDestroyed();
        var cached = live.get(subject);
        if (cached != null && cached.key().isPresent()) {
            return cached.key().get();
        }
        var key = loadLive(subject).orElseGet(() -> {
            create(subject);
            // another node may have created one first: whichever is live now is the subject's
            return loadLive(subject).orElseThrow(() -> new IllegalStateException("no live key for " + subject));
        });
        remember(live, subject, Optional.of(key));
        remember(byId, key.id(), Optional.of(key));
        return key;
    }

    /** The key with this id, or empty once it was destroyed (or never existed). */
    public Optional<DataKey> key(String keyId) {
        forgetWhatOthersDestroyed();
        var cached = byId.get(keyId);
        if (cached != null) {
            return cached.key();
        }
        Optional<DataKey> key = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT key_id::text, wrapped_key, master_key_id FROM data_keys
                         WHERE key_id = :id AND wrapped_key IS NOT NULL""")
                .bind("id", parse(keyId))
                .map((row, context) -> unwrap(row.getString(1), row.getString(3), row.getBytes(2)))
                .findOne());
        remember(byId, keyId, key);
        return key;
    }

    /** Drops these keys from this node's memory: called by whoever destroyed them. */
    public void forget(Collection<String> keyIds) {
        keyIds.forEach(byId::remove);
        live.values().removeIf(cached -> cached.key().filter(key -> keyIds.contains(key.id())).isPresent());
    }

    private void forgetWhatOthersDestroyed() {
        if (System.nanoTime() - destructionsCheckedAt < DESTRUCTIONS_CHECKED_EVERY.toNanos()) {
            return;
        }
        synchronized (this) {
            if (System.nanoTime() - destructionsCheckedAt < DESTRUCTIONS_CHECKED_EVERY.toNanos()) {
                return;
            }
            String latest = jdbi.withHandle(handle -> handle.createQuery(
                            "SELECT coalesce(max(destroyed_at)::text, '') FROM data_keys")
                    .mapTo(String.class).one());
            if (!latest.equals(latestDestruction)) {
                live.clear();
                byId.clear();
                latestDestruction = latest;
            }
            destructionsCheckedAt = System.nanoTime();
        }
    }

    private Optional<DataKey> loadLive(KeySubject subject) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT key_id::text, wrapped_key, master_key_id FROM data_keys
                         WHERE subject_kind = :kind AND user_id = :user
                           AND conversation_id IS NOT DISTINCT FROM CAST(:conversation AS uuid)
                           AND wrapped_key IS NOT NULL""")
                .bind("kind", subject.kind().name())
                .bind("user", subject.user().value())
                .bind("conversation", subject.conversation().map(c -> c.value()).orElse(null))
                .map((row, context) -> unwrap(row.getString(1), row.getString(3), row.getBytes(2)))
                .findOne());
    }

    private void create(KeySubject subject) {
        var id = UUID.randomUUID().toString();
        var key = new byte[32];
        RANDOM.nextBytes(key);
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO data_keys (key_id, subject_kind, user_id, conversation_id, wrapped_key, master_key_id)
                        VALUES (:id, :kind, :user, CAST(:conversation AS uuid), :wrapped, :master)
                        ON CONFLICT DO NOTHING""")
                .bind("id", UUID.fromString(id))
                .bind("kind", subject.kind().name())
                .bind("user", subject.user().value())
                .bind("conversation", subject.conversation().map(c -> c.value()).orElse(null))
                .bind("wrapped", master.wrap(id, key))
                .bind("master", master.currentId())
                .execute());
    }

    private DataKey unwrap(String id, String masterKeyId, byte[] wrapped) {
        return DataKey.of(id, master.unwrap(id, masterKeyId, wrapped));
    }

    private static <K> void remember(ConcurrentHashMap<K, Cached> cache, K id, Optional<DataKey> key) {
        if (cache.size() >= MAX_CACHED) {
            LOG.fine("key cache full: emptied");
            cache.clear();
        }
        cache.put(id, new Cached(key));
    }

    private static Object parse(String keyId) {
        try {
            return UUID.fromString(keyId);
        } catch (IllegalArgumentException e) {
            // not a key id: finds nothing, reads as erased
            return new UUID(0, 0);
        }
    }
}
