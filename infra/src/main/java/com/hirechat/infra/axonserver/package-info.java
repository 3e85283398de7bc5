/**
 * Events, snapshots, commands and queries through Axon Server ({@code HIRECHAT_EVENT_STORE=axonserver}).
 *
 * <p><b>Atomic.</b> Only what Axon Server stores: a command's events, in one append. Nothing in PostgreSQL commits
 * with them: the read models (participants included) are written afterwards by handlers, so no rule may assume a
 * PostgreSQL row exists exactly when its event does. Participant checks therefore ask the conversation itself (see
 * docs/operations.md, "Axon Server mode").
 *
 * <p><b>Order.</b> Axon Server keeps one aggregate's events in seq order and refuses a second writer of a seq as a
 * concurrency conflict. The message ledger ({@link com.hirechat.infra.axonserver.EventStreamLedger}) reads the
 * conversation's own events, so it is exact, never lagging.
 *
 * <p><b>Threads.</b> Commands run on Axon Server's command-bus threads, not on the group-commit workers.
 */
package com.hirechat.infra.axonserver;
