/**
 * The event store in PostgreSQL and what wakes its readers: the storage half of the runtime.
 *
 * <p><b>Atomic.</b> A command's events and their {@code message_ledger} rows are one {@code INSERT}
 * ({@link com.hirechat.infra.eventstore.SingleStatementAppend}); with nothing else to write it commits itself. A
 * command's transaction begins only on demand ({@link com.hirechat.infra.eventstore.JdbcTransactionManager#beginningOnDemand()}):
 * the store begins it before that insert when a subscribing handler (the participants projection) will handle one of
 * the events, so those rows commit or fail with the events. Any other write inside a command's unit of work must be
 * inside that transaction too: begin it ({@code beginIfDeferred}) before writing, or it is not atomic with the events.
 * A read-model batch commits its rows with its token, without waiting for the disk.
 *
 * <p><b>Order.</b> One aggregate's events are stored in seq order; a racing writer of the same seq gets a unique
 * violation, reported as a concurrency conflict ({@link com.hirechat.infra.eventstore.PostgresDuplicateKeyResolver})
 * and retried. Across aggregates the global index orders the tail, but transactions may commit out of index order
 * and leave gaps; readers track gaps with Axon's gap-aware token and see committed events only.
 *
 * <p><b>Who is woken, on which thread.</b> Right after a local commit, on the committing (command) thread, the
 * events go to the live feed ({@link com.hirechat.infra.eventstore.WakeableEventStore}, in seq order, under the
 * aggregate's lock) and other nodes are told by {@code NOTIFY} on the {@code postgres-append-announcer} thread
 * ({@link com.hirechat.infra.eventstore.PostgresAppendAnnouncer}). The {@code postgres-notifications} thread hears
 * other nodes and wakes the shared reader, which (one batch per wake-up,
 * {@link com.hirechat.infra.eventstore.TailingJdbcEventStorageEngine}) feeds the live tail and the read models
 * ({@link com.hirechat.infra.eventstore.PolledEventSource}, ticked by {@code read-model-poll}). Readers run outside
 * transactions; callbacks handed in here must not block.
 *
 * <p><b>Schema.</b> Flyway migrations of these tables: {@code infra/src/main/resources/db/migration/eventstore};
 * names in {@link com.hirechat.infra.eventstore.EventStoreSchema}.
 */
package com.hirechat.infra.eventstore;
