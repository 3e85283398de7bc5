package com.hirechat.infra;

import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;

/**
 * Everything that differs between the two {@link EventStoreMode}s, in one place: which event store (and buses)
 * Axon is given, what must hold before Axon starts, and what a PostgreSQL "events appended" notification means.
 */
sealed interface EventStorage permits JdbcEventStorage, AxonServerEventStorage {

    /** Registers the event store, and for Axon Server the command and query buses, on top of the common wiring. */
    Configurer configure(Configurer configurer);

    /** Returns once the storage can be used, or throws {@link StartupException}; called before Axon starts. */
    void awaitReady(Configuration axon);

    /** What to run when PostgreSQL announces events appended by some node. */
    Runnable onEventsAppended(Configuration axon);
}
