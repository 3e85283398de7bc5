package com.hirechat.infra.erasure;

import org.jdbi.v3.core.Handle;

/**
 * The one lock that orders placing a legal hold against destroying keys, across nodes: each takes it in its own
 * transaction, so a shredder that gets it second sees the committed hold and refuses, and a hold placed second
 * comes after keys that are already gone.
 */
public final class HoldLock {

    /** "hire" "hold" as a bigint: a transaction-scoped advisory key no other lock of the project uses. */
    public static final long KEY = 0x68697265_686f6c64L;

    private HoldLock() {
    }

    /** Waits for the lock; PostgreSQL releases it when {@code handle}'s transaction ends. */
    public static void take(Handle handle) {
        handle.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked").bind("key", KEY).mapTo(Integer.class).one();
    }
}
