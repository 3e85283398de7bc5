/**
 * The live path out of the event store: a conversation's committed history and a live tail of every commit.
 *
 * <p><b>Only committed events</b> are ever delivered, so nothing pushed to a client can later vanish. <b>Order:</b>
 * one conversation's events arrive in seq order from each source, but an event may arrive twice (this node's commits
 * are handed over at commit and again by the tail) and this node's events may overtake other nodes'; consumers
 * de-duplicate and order by seq ({@code Subscription} in the web module does).
 *
 * <p><b>Threads.</b> The tail runs on {@code conversation-event-tail}; this node's commits arrive on the committing
 * command thread. The listener must return quickly and must not read the database or take locks held while it does:
 * it runs on those threads.
 */
package com.hirechat.projections.feed;
