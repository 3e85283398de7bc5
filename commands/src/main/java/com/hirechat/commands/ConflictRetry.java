package com.hirechat.commands;

import java.util.concurrent.ScheduledExecutorService;

import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.modelling.command.ConcurrencyException;

/** Retries a command only when it lost a race for the same conversation; a broken rule is never retried. */
public final class ConflictRetry {

    private ConflictRetry() {
    }

    public static RetryScheduler scheduler(ScheduledExecutorService executor) {
        // several nodes writing one conversation at once collide repeatedly: back off 5, 10, 20 … 640 ms
        return ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .backoffFactor(5)
                .maxRetryCount(8)
                .nonTransientFailurePredicate(failure -> !isConflict(failure))
                .build();
    }

    private static boolean isConflict(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
            if (cause instanceof AxonNonTransientException) {
                return false;
            }
        }
        return false;
    }
}
