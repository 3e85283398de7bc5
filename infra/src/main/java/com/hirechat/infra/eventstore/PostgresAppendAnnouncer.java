package com.hirechat.infra.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * Tells every other node (through {@code NOTIFY hirechat_events}) that this one committed events, after the commit
 * and outside it. A NOTIFY inside the appending transaction would hold PostgreSQL's global notification lock until
 * that transaction's commit record is flushed, so concurrent sends could no longer share a disk flush. Commits
 * that land while a notification is being sent are folded into the next one.
 *
 * <p>A node alone announces nothing: only its own listener would hear it, and ignore it, after both it and
 * PostgreSQL did the work of a notification for every commit. Whether another node listens is read from
 * {@code pg_locks} (each listener holds {@link PostgresNotifications#LISTENING}) every {@link #CHECK_MILLIS};
 * when one appears, it gets one notification at once, for the commits it may have missed while unannounced.
 */
public final class PostgresAppendAnnouncer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresAppendAnnouncer.class.getName());
    static final long CHECK_MILLIS = 1_000;
    private static final String OTHER_LISTENERS = """
            SELECT EXISTS (SELECT 1 FROM pg_locks
                           WHERE locktype = 'advisory' AND granted AND objsubid = 1
                             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND classid::bigint = ? AND objid::bigint = ? AND pid <> ?)""";

    private final DataSource dataSource;
    private final IntSupplier ownListenerPid;
    /** Announces every commit, whoever listens ({@link RuntimeFallback#APPEND_ANNOUNCER}). */
    private final boolean always;
    private final Thread thread;
    private volatile boolean pending;
    private volatile boolean running = true;
    /** PostgreSQL's process id of the connection announcing, 0 while there is none. */
    private volatile int backendPid;
    /** Whether another node listened at the last check; written by the announcer's thread only. */
    private volatile boolean othersListen;
    private Connection connection;
    private long nextCheck = System.nanoTime();

    private PostgresAppendAnnouncer(DataSource dataSource, IntSupplier ownListenerPid, boolean always) {
        this.dataSource = dataSource;
        this.ownListenerPid = ownListenerPid;
        this.always = always;
        this.thread = Thread.ofPlatform().daemon().name("postgres-append-announcer").start(this::run);
    }

    /** {@code ownListenerPid}: the backend process id of this node's own listener (0 while it has none). */
    public static PostgresAppendAnnouncer start(DataSource dataSource, IntSupplier ownListenerPid) {
        return new PostgresAppendAnnouncer(dataSource, ownListenerPid, false);
    }

    /** Announces every commit, whether or not another node listens: the plain approach, for comparison. */
    public static PostgresAppendAnnouncer startAnnouncingAlways(DataSource dataSource, IntSupplier ownListenerPid) {
        return new PostgresAppendAnnouncer(dataSource, ownListenerPid, true);
    }

    /** Whether a notification came from this announcer (this node already knows of those commits). */
    public boolean sentBy(int notifyingBackendPid) {
        return notifyingBackendPid != 0 && notifyingBackendPid == backendPid;
    }

    /** Events were committed on this node: announce it soon, if another node listens. Never blocks. */
    public void committed() {
        // alone, not even a wake-up: the check that finds a newcomer announces for every commit before it
        if (othersListen || always) {
            pending = true;
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        while (running) {
            try {
                if (System.nanoTime() - nextCheck >= 0) {
                    checkForOtherListeners();
                }
                if (pending) {
                    pending = false;
                    if (othersListen || always) {
                        announce();
                    }
                    continue;
                }
            } catch (SQLException e) {
                // other nodes then see the events at their next poll (fetch delay) or the next announcement
                LOG.log(Level.WARNING, "could not announce appended events; reconnecting", e);
                closeConnection();
                othersListen = true; // while it cannot tell, announce: a missed node waits for its poll
            }
            LockSupport.parkNanos(this, Math.max(1, nextCheck - System.nanoTime()));
        }
        closeConnection();
    }

    private void checkForOtherListeners() throws SQLException {
        nextCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS);
        boolean found;
        try (var query = connection().prepareStatement(OTHER_LISTENERS)) {
            query.setLong(1, PostgresNotifications.LISTENING >>> 32);
            query.setLong(2, PostgresNotifications.LISTENING & 0xFFFF_FFFFL);
            query.setInt(3, ownListenerPid.getAsInt());
            try (var result = query.executeQuery()) {
                result.next();
                found = result.getBoolean(1);
            }
        }
        if (found != othersListen) {
            LOG.info(found ? "another node listens: announcing this node's commits"
                    : "no other node listens: not announcing this node's commits");
            // the newcomer may have missed commits made while nobody was told
            pending = found;
        }
        othersListen = found;
    }

    /** Whether commits are announced now, that is, whether another node listened at the last check. */
    boolean announcing() {
        return othersListen;
    }

    private void announce() throws SQLException {
        try (var statement = connection().createStatement()) {
            statement.execute("NOTIFY " + PostgresNotifications.EVENTS_CHANNEL);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            try (var statement = connection.createStatement()) {
                // a notification is a hint, not a record: no need to wait for the disk
                statement.execute("SET synchronous_commit TO off");
            }
            backendPid = connection.unwrap(PGConnection.class).getBackendPID();
        }
        return connection;
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
