/**
 * How a command reaches its aggregate and its events reach the store: the write half of the runtime.
 *
 * <p><b>Threads and order.</b> {@link com.hirechat.commands.writepath.GroupCommitCommandBus} gives every aggregate a
 * fixed one of its {@code command-N} platform threads, so one conversation's commands run one after another, in the
 * order they were dispatched. A worker handles every command queued for it (up to a batch) in one unit of work.
 *
 * <p><b>Atomic.</b> A batch commits as a whole or not at all; when any command in it, or the commit, fails, the
 * batch is rolled back and each command runs again alone, so every caller gets exactly the answer it would have had
 * alone. A command's answer is sent only after its events are committed (durably).
 *
 * <p><b>Handlers may</b> apply events and read the aggregate's own state and the {@code MessageLedger}; <b>may
 * not</b> block on other commands, call remote services or write to the database outside the unit of work's
 * transaction (see the event store's rules in {@code com.hirechat.infra.eventstore}).
 *
 * <p><b>Loading.</b> Aggregates come from {@link com.hirechat.commands.writepath.BoundedAggregateCache} (evicted on
 * rollback), else from the latest readable snapshot of the aggregate's revision
 * ({@link com.hirechat.commands.writepath.ReadableSnapshotFilter}) plus newer events. Snapshots are taken after the
 * commit on the {@code snapshotter} thread ({@link com.hirechat.commands.writepath.GrowingSnapshotTriggerDefinition}).
 * A concurrency conflict (another node wrote the same seq) is retried with back-off by
 * {@link com.hirechat.commands.writepath.ConflictRetry}; nothing else is.
 */
package com.hirechat.commands.writepath;
