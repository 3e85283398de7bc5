package com.hirechat.commands;

import java.util.concurrent.ScheduledExecutorService;

import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.modelling.command.ConcurrencyException;

/** Retries a command only when it lost a race for the same conversation; a broken rule is never retried. */
public final class ConflictRetry {

    private ConflictRetry() {
    }

    public static RetryScheduler scheduler(ScheduledExecutorService executor) {
        return IntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .retryInterval(20)
                .maxRetryCount(10)
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
