package com.hirechat.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * Tells every node (through {@code NOTIFY hirechat_events}) that this one committed events, after the commit and
 * outside it. A NOTIFY inside the appending transaction would hold PostgreSQL's global notification lock until
 * that transaction's commit record is flushed, so concurrent sends could no longer share a disk flush. Commits
 * that land while a notification is being sent are folded into the next one.
 */
final class PostgresAppendAnnouncer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresAppendAnnouncer.class.getName());

    private final DataSource dataSource;
    private final Thread thread;
    private volatile boolean pending;
    private volatile boolean running = true;
    /** PostgreSQL's process id of the connection announcing, 0 while there is none. */
    private volatile int backendPid;
    private Connection connection;

    private PostgresAppendAnnouncer(DataSource dataSource) {
        this.dataSource = dataSource;
        this.thread = Thread.ofPlatform().daemon().name("postgres-append-announcer").start(this::run);
    }

    static PostgresAppendAnnouncer start(DataSource dataSource) {
        return new PostgresAppendAnnouncer(dataSource);
    }

    /** Whether a notification came from this announcer (this node already knows of those commits). */
    boolean sentBy(int notifyingBackendPid) {
        return notifyingBackendPid != 0 && notifyingBackendPid == backendPid;
    }

    /** Events were committed on this node: announce it soon. Never blocks. */
    void committed() {
        pending = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        while (running) {
            if (!pending) {
                LockSupport.park(this);
                continue;
            }
            pending = false;
            try {
                announce();
            } catch (SQLException e) {
                // other nodes then see the events at their next poll (fetch delay) or the next announcement
                LOG.log(Level.WARNING, "could not announce appended events; reconnecting", e);
                closeConnection();
            }
        }
        closeConnection();
    }

    private void announce() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (var statement = connection.createStatement()) {
                // a notification is a hint, not a record: no need to wait for the disk
                statement.execute("SET synchronous_commit TO off");
            }
            backendPid = connection.unwrap(PGConnection.class).getBackendPID();
        }
        try (var statement = connection.createStatement()) {
            statement.execute("NOTIFY " + PostgresNotifications.EVENTS_CHANNEL);
        }
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        backendPid = 0;
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "closing the announcer's connection", e);
        }
        connection = null;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
