package com.hirechat.commands;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;

/**
 * Fails the commands still running at their deadline, all from one thread that looks once per {@code period}. A
 * timed wait per command would cost more: on a virtual thread it schedules a timer and cancels it, each waking the
 * JDK's delay scheduler thread, two wake-ups per command of a thread that does nothing else. Deadlines are met
 * to within one period.
 */
final class CommandDeadlines implements AutoCloseable {

    private record Watched(CompletableFuture<?> result, long deadline, String name) {
    }

    private final long timeoutNanos;
    private final long periodMillis;
    private final String timeoutText;
    // in the order watched, so by deadline (all share one timeout): the sweep stops at the first that is not due
    private final ConcurrentLinkedQueue<Watched> watched = new ConcurrentLinkedQueue<>();
    private final Thread sweeper;

    CommandDeadlines(Duration timeout, Duration period) {
        this.timeoutNanos = timeout.toNanos();
        this.periodMillis = Math.max(1, period.toMillis());
        this.timeoutText = timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
        this.sweeper = Thread.ofVirtual().name("command-deadlines").start(this::sweepUntilClosed);
    }

    /** The same result, failed with a {@link TimeoutException} if it has not completed by the deadline. */
    <R> CompletableFuture<R> watch(CompletableFuture<R> result, String name) {
        watched.add(new Watched(result, System.nanoTime() + timeoutNanos, name));
        return result;
    }

    private void sweepUntilClosed() {
        while (true) {
            try {
                // a fixed beat, not a wait for a condition: nothing signals that a deadline has passed
                Thread.sleep(periodMillis);
            } catch (InterruptedException closed) {
                return;
            }
            sweep(System.nanoTime());
        }
    }

    private void sweep(long now) {
        Watched head;
        while ((head = watched.peek()) != null && (head.result.isDone() || now - head.deadline >= 0)) {
            watched.poll();
            if (!head.result.isDone()) {
                head.result.completeExceptionally(
                        new TimeoutException(head.name + " did not complete in " + timeoutText));
            }
        }
    }

    @Override
    public void close() {
        sweeper.interrupt();
    }
}
