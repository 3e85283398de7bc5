package com.hirechat.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether the database answers, as of a check made every second on a connection of its own with short timeouts:
 * a health check reads the last result at once instead of waiting for the pool, which waits up to 30 s for a
 * connection when the database is gone.
 */
final class DatabaseProbe implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DatabaseProbe.class.getName());
    private static final Duration PERIOD = Duration.ofSeconds(1);
    /** Connect, log in and answer within this (pgjdbc takes whole seconds). */
    private static final int TIMEOUT_SECONDS = 1;
    /** A check still running after this long (a host that drops packets) counts as no answer. */
    private static final Duration STALE = Duration.ofSeconds(3);

    /** The outcome of one check, and when it was made. */
    private record Outcome(boolean answered, long atNanos) {
    }

    private final String url;
    private final Properties properties;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("database-probe").factory());
    private volatile Outcome last;
    private Connection connection; // the timer's thread only

    private DatabaseProbe(AppConfig.Jdbc coordinates) {
        url = coordinates.url();
        properties = new Properties();
        if (coordinates.user() != null) {
            properties.setProperty("user", coordinates.user());
        }
        if (coordinates.password() != null) {
            properties.setProperty("password", coordinates.password());
        }
        // these win over the same settings in the URL: the probe must be quick whatever the pool is told
        properties.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("loginTimeout", Integer.toString(TIMEOUT_SECONDS));
        properties.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS + 1));
        properties.setProperty("ApplicationName", "hirechat-readiness");
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
                connection = DriverManager.getConnection(url, properties);
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
