package com.hirechat.commands.writepath;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.ExponentialBackOffIntervalRetryScheduler;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;

/** Retries a command only when it lost a race for the same conversation; a broken rule or an outage is never retried. */
public final class ConflictRetry implements RetryScheduler {

    private final RetryScheduler backOff;

    private ConflictRetry(RetryScheduler backOff) {
        this.backOff = backOff;
    }

    public static RetryScheduler scheduler(ScheduledExecutorService executor) {
        // several nodes writing one conversation at once collide repeatedly: back off 5, 10, 20 … 640 ms
        return new ConflictRetry(ExponentialBackOffIntervalRetryScheduler.builder()
                .retryExecutor(executor)
                .backoffFactor(5)
                .maxRetryCount(8)
                .build());
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface declares the raw type
    public boolean scheduleRetry(CommandMessage command, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatch) {
        return isConflict(lastFailure) && backOff.scheduleRetry(command, lastFailure, failures, dispatch);
    }

    private static boolean isConflict(Throwable failure) {
        for (var cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
