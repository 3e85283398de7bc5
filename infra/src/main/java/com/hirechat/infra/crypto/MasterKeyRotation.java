package com.hirechat.infra.crypto;

import java.util.List;

import org.jdbi.v3.core.Jdbi;

/**
 * Re-wraps every live data key under the current master key ({@code HIRECHAT_MASTER_KEY}), opening those wrapped under
 * the previous one ({@code HIRECHAT_MASTER_KEY_PREVIOUS}). Each key is updated only if it is still wrapped as it was
 * read, so running nodes (which open keys under either master key) and a second run are never in the way. The
 * data keys themselves do not change: nothing stored is re-encrypted.
 */
public final class MasterKeyRotation {

    /** What a run did: keys re-wrapped, and keys left because no configured master key opens them. */
    public record Result(int rewrapped, int unopenable) {
    }

    private record Wrapped(String keyId, byte[] wrapped, String masterKeyId) {
    }

    private final Jdbi jdbi;
    private final MasterKeys master;

    public MasterKeyRotation(Jdbi jdbi, MasterKeys master) {
        this.jdbi = jdbi;
        this.master = master;
    }

    public Result run() {
        List<Wrapped> stale = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT key_id::text, wrapped_key, master_key_id FROM data_keys
                         WHERE wrapped_key IS NOT NULL AND master_key_id <> :current""")
                .bind("current", master.currentId())
                .map((row, context) -> new Wrapped(row.getString(1), row.getBytes(2), row.getString(3)))
                .list());
        var rewrapped = 0;
        var unopenable = 0;
        for (var key : stale) {
            byte[] raw;
            try {
                raw = master.unwrap(key.keyId(), key.masterKeyId(), key.wrapped());
            } catch (MasterKeys.UnknownMasterKeyException e) {
                unopenable++;
                continue;
            }
            var rewrap = master.wrap(key.keyId(), raw);
            rewrapped += jdbi.withHandle(handle -> handle.createUpdate("""
                            UPDATE data_keys SET wrapped_key = :wrapped, master_key_id = :current
                             WHERE key_id = CAST(:id AS uuid) AND master_key_id = :old AND wrapped_key IS NOT NULL""")
                    .bind("wrapped", rewrap)
                    .bind("current", master.currentId())
                    .bind("id", key.keyId())
                    .bind("old", key.masterKeyId())
                    .execute());
        }
        return new Result(rewrapped, unopenable);
    }
}
