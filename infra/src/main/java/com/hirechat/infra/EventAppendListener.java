package com.hirechat.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * LISTENs for the notification the event table's trigger sends on every commit (migration V3)
 * and wakes the event store, so events appended by any node reach this node's subscribers at once.
 */
final class EventAppendListener implements AutoCloseable {

    static final String CHANNEL = "hirechat_events";
    private static final Logger LOG = Logger.getLogger(EventAppendListener.class.getName());
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final Runnable onAppend;
    private final Thread thread;
    private volatile boolean running = true;

    private EventAppendListener(DataSource dataSource, Runnable onAppend) {
        this.dataSource = dataSource;
        this.onAppend = onAppend;
        this.thread = Thread.ofPlatform().daemon().name("event-append-listener").start(this::run);
    }

    static EventAppendListener start(DataSource dataSource, Runnable onAppend) {
        return new EventAppendListener(dataSource, onAppend);
    }

    private void run() {
        while (running) {
            try (var connection = dataSource.getConnection()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "lost the event notification connection; reconnecting", e);
                    // a commit may have gone unnoticed while we were away
                    onAppend.run();
                    if (!pause()) {
                        return;
                    }
                }
            }
        }
    }

    private void listen(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        var postgres = connection.unwrap(PGConnection.class);
        while (running) {
            var notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications != null && notifications.length > 0) {
                onAppend.run();
            }
        }
    }

    private static boolean pause() {
        try {
            // back off so an unreachable database is not hammered by reconnect attempts
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(POLL_MILLIS * 4L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
