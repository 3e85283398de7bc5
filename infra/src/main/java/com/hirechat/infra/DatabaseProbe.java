package com.hirechat.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * Whether the database answers, as of a check made every second on a connection of its own with short timeouts:
 * a health check reads the last result at once instead of waiting for the pool, which waits up to 30 s for a
 * connection when the database is gone.
 */
final class DatabaseProbe implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class.getName());
    private static final Duration PERIOD = Duration.ofSeconds(1);
    /** Connect, log in and validate within this, read within a second more (pgjdbc takes whole seconds). */
    private static final int TIMEOUT_SECONDS = 1;
    /** A check still running after this long (a host that drops packets) counts as no answer. */
    private static final Duration STALE = Duration.ofSeconds(3);

    /** The outcome of one check, and when it was made. */
    private record Outcome(boolean answered, long atNanos) {
    }

    private final PGSimpleDataSource source = new PGSimpleDataSource();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("database-probe").factory());
    private volatile Outcome last;
    private Connection connection; // the timer's thread only

    private DatabaseProbe(AppConfig.Jdbc coordinates) {
        source.setUrl(coordinates.url());
        if (coordinates.user() != null) {
            source.setUser(coordinates.user());
        }
        if (coordinates.password() != null) {
            source.setPassword(coordinates.password());
        }
        // set after the URL, so they win over the same settings in it: the probe is quick whatever the pool is told
        source.setConnectTimeout(TIMEOUT_SECONDS);
        source.setLoginTimeout(TIMEOUT_SECONDS);
        source.setSocketTimeout(TIMEOUT_SECONDS + 1);
        source.setApplicationName("hirechat-readiness");
    }

    /** Checks once now, then every second until closed. */
    static DatabaseProbe start(AppConfig.Jdbc coordinates) {
        var probe = new DatabaseProbe(coordinates);
        probe.timer.submit(probe::check);
        probe.timer.scheduleWithFixedDelay(probe::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Whether the latest check, made within the last few seconds, reached the database and got an answer. */
    boolean answers() {
        var outcome = last;
        return outcome != null && outcome.answered() && System.nanoTime() - outcome.atNanos() < STALE.toNanos();
    }

    private void check() {
        var answered = false;
        try {
            if (connection == null || !connection.isValid(TIMEOUT_SECONDS)) {
                closeConnection();
                connection = source.getConnection();
            }
            answered = connection.isValid(TIMEOUT_SECONDS);
            if (!answered) {
                closeConnection();
            }
        } catch (SQLException | RuntimeException e) {
            closeConnection();
        }
        var before = last;
        last = new Outcome(answered, System.nanoTime());
        if (before != null && before.answered() != answered) {
            if (answered) {
                LOG.info("the database answers again: readiness can be UP");
            } else {
                LOG.warning("the database does not answer: readiness is DOWN until it does");
            }
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // a broken connection: nothing left to release
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeConnection();
    }
}
