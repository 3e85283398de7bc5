package com.hirechat.infra.eventstore;

import java.util.stream.Stream;

import javax.sql.DataSource;

import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;

import com.hirechat.domain.MessageLedger;

import com.hirechat.infra.StartupException;
import com.hirechat.projections.StoredEvents;

/**
 * Everything that differs between the two {@link EventStoreMode}s, in one place: which event store (and buses)
 * Axon is given, what must hold before Axon starts, and what a PostgreSQL "events appended" notification means.
 */
public interface EventStorage {

    /** Registers the event store, and for Axon Server the command and query buses, on top of the common wiring. */
    Configurer configure(Configurer configurer);

    /** Returns once the storage can be used, or throws {@link StartupException}; called before Axon starts. */
    void awaitReady(Configuration axon);

    /** What to run when PostgreSQL announces events appended by some node. */
    Runnable onEventsAppended(Configuration axon);

    /** Every message of every conversation, for the aggregate's lookups of messages it no longer remembers. */
    MessageLedger messageLedger(Configuration axon);

    /** The stored events themselves, for chain verification and exports (docs/compliance.md). */
    StoredEvents storedEvents(Configuration axon, DataSource dataSource);

    /**
     * Every event committed now after {@code token} (null: from the first), as a fresh query each call, so events
     * that were still uncommitted at a lower position last time are found too. The stream ends; it never waits.
     */
    Stream<? extends TrackedEventMessage<?>> committedAfter(Configuration axon, TrackingToken token);
}
