package com.hirechat.infra;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;

/**
 * The node's one db-scheduler {@link Scheduler} on {@code scheduled_tasks}: the retention job and the email digests'
 * deadlines and sends. Built before Axon (the digests' deadline manager needs it), started after it.
 */
final class JobScheduler implements AutoCloseable {

    private final Scheduler scheduler;

    private JobScheduler(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Empty when no task is configured: a node without retention or digests polls nothing. */
    static Optional<JobScheduler> build(DataSource dataSource, String node, List<RecurringTask<?>> recurring,
                                        List<Task<?>> oneTime, Duration polling) {
        if (recurring.isEmpty() && oneTime.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new JobScheduler(Scheduler.create(dataSource, oneTime)
                .startTasks(recurring)
                // task data as JSON: Java serialization is refused by the JVM-wide filter Helidon installs
                .serializer(new com.github.kagkarlsson.scheduler.serializer.JacksonSerializer())
                .threads(2)
                .schedulerName(new SchedulerName.Fixed(node))
                .pollingInterval(polling)
                .heartbeatInterval(Duration.ofSeconds(30))
                .shutdownMaxWait(Duration.ofSeconds(10))
                .build()));
    }

    Scheduler scheduler() {
        return scheduler;
    }

    void start() {
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.stop();
    }
}
