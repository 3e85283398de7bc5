/**
 * The event store in PostgreSQL and what wakes its readers: the storage half of the runtime.
 *
 * <p><b>Atomic.</b> A command's events and their {@code message_ledger} rows are one {@code INSERT}
 * ({@link com.hirechat.infra.eventstore.SingleStatementAppend}); with nothing else to write it commits itself. A
 * command's transaction begins only on demand ({@link com.hirechat.infra.eventstore.JdbcTransactionManager#beginningOnDemand()}):
 * anything but the store that asks the transaction manager for the connection begins it (a command interceptor's or
 * handler's JDBC write, Jdbi), and the store begins it before its insert when a subscribing handler (the participants
 * projection, or any subscriber the configuration does not know) may handle one of the events, so those rows commit
 * or fail with the events. Only the store's reads, its append and the ledger's lookups use the connection without
 * beginning it ({@code storeConnections}). After an append that committed itself, the connection is refused to the
 * rest of the unit of work: nothing written then could be atomic with the events, so it fails loudly instead
 * ({@code RuntimeContractTest}). A read-model batch commits its rows with its token, without waiting for the disk.
 *
 * <p><b>Order.</b> One aggregate's events are stored in seq order; a racing writer of the same seq gets a unique
 * violation, reported as a concurrency conflict ({@link com.hirechat.infra.eventstore.PostgresDuplicateKeyResolver})
 * and retried. Across aggregates the global index orders the tail, but transactions may commit out of index order
 * (an index is drawn at insert, visible at commit) and leave gaps; readers see committed events only and track gaps
 * with Axon's gap-aware token, set explicitly in {@link com.hirechat.infra.eventstore.JdbcEventStorage}: a gap is
 * revisited on every fetch until it fills, or until it is a million indexes behind, or (once a token holds more than
 * 250 gaps) ten minutes older than the event after it. So a transaction that appended must commit within those
 * bounds to be seen by the tail and the read models; a conversation's start stalled behind a rebuild's
 * {@code LOCK TABLE} on its participants holds its index for the switch, far inside them, and is delivered once when
 * it commits (and on this node at once, by the commit's own hand-over). A rolled-back insert leaves a gap that never
 * fills and holds no reader back. Beyond the tail, a subscriber that sees a conversation's seq skip fills the hole
 * from the store ({@code Subscription}).
 *
 * <p><b>Who is woken, on which thread.</b> Right after a local commit, the committing (command) thread queues the
 * events for the live feed ({@link com.hirechat.infra.eventstore.WakeableEventStore}, in seq order, before the
 * aggregate's next commit; the feed delivers them on its own {@code live-fan-out} thread) and other nodes are told by {@code NOTIFY} on the {@code postgres-append-announcer} thread
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
