/**
 * Read models in PostgreSQL: event handlers that build them (idempotent under redelivery) and the queries over them.
 *
 * <p><b>Two processors.</b> {@code participants} is subscribing: it runs inside the command's unit of work, so with
 * the events in PostgreSQL its rows commit with the events and access checks never lag. {@code read-models}
 * (history, contacts, directory, analytics) is one pooled streaming processor, one segment, in store order: rows lag
 * the events by at most a poll interval plus a batch.
 *
 * <p><b>Atomic.</b> A read-model batch (up to 100 events) commits its rows with its token; a crash loses a whole batch,
 * which is read again. {@link com.hirechat.projections.ReadModelWrites} holds the statements until the unit of work
 * commits and sends them per table in {@link com.hirechat.projections.Projection}'s order; a row statement over a run
 * must write exactly what applying its events one by one would ({@code ReadModelWritesTest}).
 *
 * <p><b>Handlers may</b> write only their own tables through {@code ReadModelWrites} and must tolerate redelivery
 * (insert {@code ON CONFLICT DO NOTHING}, update guarded by {@code last_event_seq}); <b>may not</b> send commands or
 * depend on another processor's progress. Migrations: {@code projections/src/main/resources/db/migration/readmodel}.
 */
package com.hirechat.projections;
