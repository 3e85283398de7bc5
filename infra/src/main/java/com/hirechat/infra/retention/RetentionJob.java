package com.hirechat.infra.retention;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/**
 * The retention policy as a db-scheduler recurring task ({@value #TASK}): its next execution is a row of
 * {@code scheduled_tasks}, so it survives restarts, and each execution is picked by one node only (a row update
 * guarded by a version). Each execution also carries out deferred requests whose holds are gone. It runs on the
 * node's one scheduler ({@code JobScheduler}), beside the email digests' tasks.
 */
public final class RetentionJob {

    /** The task's name in {@code scheduled_tasks}. */
    public static final String TASK = "hirechat-retention";
    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

    private RetentionJob() {
    }

    /** The recurring task; empty when no retention policy is configured. {@code work} is asked when it runs. */
    public static Optional<RecurringTask<Void>> task(RetentionPolicy policy, Supplier<HoldsAndRetention> work) {
        if (!policy.enabled()) {
            LOG.info("retention is off (no HIRECHAT_RETENTION_DIRECT_DAYS or HIRECHAT_RETENTION_GROUP_DAYS)");
            return Optional.empty();
        }
        LOG.info(() -> "retention job scheduled every " + policy.checkEvery() + " (" + policy.describe() + ")");
        return Optional.of(Tasks.recurring(TASK, FixedDelay.of(policy.checkEvery()))
                .execute((instance, context) -> {
                    try {
                        work.get().carryOutDeferred();
                        work.get().runScheduled(context.getExecution().executionTime);
                    } catch (RuntimeException e) {
                        // db-scheduler records the failure and runs it again at the next interval
                        LOG.log(Level.WARNING, "retention run failed", e);
                        throw e;
                    }
                }));
    }

    /** Polls often enough for the interval, never more than twice a second nor less than every ten seconds. */
    public static Duration polling(Duration every) {
        var half = every.dividedBy(2);
        if (half.compareTo(Duration.ofMillis(500)) < 0) {
            return Duration.ofMillis(500);
        }
        return half.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : half;
    }
}
