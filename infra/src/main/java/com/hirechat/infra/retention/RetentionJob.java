package com.hirechat.infra.retention;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

/**
 * The retention policy as a db-scheduler recurring task ({@value #TASK}): its next execution is a row of
 * {@code scheduled_tasks}, so it survives restarts, and each execution is picked by one node only (a row update
 * guarded by a version). Each execution also carries out deferred requests whose holds are gone.
 */
public final class RetentionJob implements AutoCloseable {

    /** The task's name in {@code scheduled_tasks}. */
    public static final String TASK = "hirechat-retention";
    private static final Logger LOG = Logger.getLogger(RetentionJob.class.getName());

    private final Scheduler scheduler;

    private RetentionJob(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts the scheduler on this node; empty when no retention policy is configured. */
    public static Optional<RetentionJob> start(DataSource dataSource, HoldsAndRetention work) {
        var policy = work.policy();
        if (!policy.enabled()) {
            LOG.info("retention is off (no HIRECHAT_RETENTION_DIRECT_DAYS or HIRECHAT_RETENTION_GROUP_DAYS)");
            return Optional.empty();
        }
        RecurringTask<Void> task = Tasks.recurring(TASK, FixedDelay.of(policy.checkEvery()))
                .execute((instance, context) -> {
                    try {
                        work.carryOutDeferred();
                        work.runScheduled(context.getExecution().executionTime);
                    } catch (RuntimeException e) {
                        // db-scheduler records the failure and runs it again at the next interval
                        LOG.log(Level.WARNING, "retention run failed", e);
                        throw e;
                    }
                });
        var scheduler = Scheduler.create(dataSource)
                .startTasks(task)
                .threads(1)
                .schedulerName(new SchedulerName.Fixed(work.node()))
                .pollingInterval(polling(policy.checkEvery()))
                .heartbeatInterval(Duration.ofSeconds(30))
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build();
        scheduler.start();
        LOG.info(() -> "retention job scheduled every " + policy.checkEvery() + " (" + policy.describe() + ")");
        return Optional.of(new RetentionJob(scheduler));
    }

    /** Polls often enough for the interval, never more than twice a second nor less than every ten seconds. */
    private static Duration polling(Duration every) {
        var half = every.dividedBy(2);
        if (half.compareTo(Duration.ofMillis(500)) < 0) {
            return Duration.ofMillis(500);
        }
        return half.compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : half;
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
