package com.hirechat.infra.eventstore;

import java.util.Arrays;
import java.util.Optional;

/**
 * A custom piece of the runtime switched back to Axon's stock component or the plain approach
 * ({@code HIRECHAT_RUNTIME_FALLBACKS}), to compare what each piece buys or to rule one out when hunting a fault.
 * Production runs none of them; each one switched on is logged at start.
 */
public enum RuntimeFallback {

    GROUP_COMMIT("group-commit",
            "commands run on the caller's thread on Axon's SimpleCommandBus, one unit of work each"),
    TRANSACTION_ON_DEMAND("transaction-on-demand",
            "every command's transaction begins at its start, and commits with a COMMIT of its own"),
    SINGLE_STATEMENT_APPEND("single-statement-append",
            "events stored by Axon's JDBC batch insert, the message ledger's rows by a statement of their own, in a"
                    + " transaction begun at the command's start"),
    WAKEABLE_STORE("wakeable-store",
            "the store's readers are woken at once by every local commit, as Axon's EmbeddedEventStore does, and this"
                    + " node's subscribers get its events from the tail rather than at the commit"),
    TAILING_READER("tailing-reader",
            "the store's shared reader reads Axon's way, on until a batch comes back empty"),
    POLLED_SOURCE("polled-source",
            "the read models read the event store directly, Axon's default source"),
    APPEND_ANNOUNCER("append-announcer",
            "every commit is announced to other nodes, whether or not one listens"),
    READ_MODEL_BATCHING("read-model-batching",
            "read-model statements run one by one as each event is handled, not batched at the commit");

    private final String configName;
    private final String effect;

    RuntimeFallback(String configName, String effect) {
        this.configName = configName;
        this.effect = effect;
    }

    /** The name in {@code HIRECHAT_RUNTIME_FALLBACKS}. */
    public String configName() {
        return configName;
    }

    /** What runs instead, for the log line at start. */
    public String effect() {
        return effect;
    }

    /** The fallback of that name, if any. */
    public static Optional<RuntimeFallback> named(String name) {
        return Arrays.stream(values()).filter(fallback -> fallback.configName.equals(name)).findFirst();
    }
}
