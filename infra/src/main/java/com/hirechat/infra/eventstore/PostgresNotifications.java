package com.hirechat.infra.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.postgresql.PGConnection;

/**
 * One connection per node that LISTENs for what other nodes (and this one) announce through PostgreSQL:
 * event appends (announced after commit by {@link PostgresAppendAnnouncer}) and typing indicators.
 * While it listens it holds {@link #LISTENING} shared, so that a node can tell whether any other node listens.
 */
public final class PostgresNotifications implements AutoCloseable {

    static final String EVENTS_CHANNEL = "hirechat_events";
    public static final String TYPING_CHANNEL = "hirechat_typing";
    private static final Logger LOG = Logger.getLogger(PostgresNotifications.class.getName());
    /**
     * Session advisory lock every listening node holds shared: {@code pg_locks} then lists one row per listener, and
     * PostgreSQL drops it with the connection, so a node that died stops counting at once.
     */
    static final long LISTENING = 0x68697265_6c697374L;
    private static final int POLL_MILLIS = 500;

    private final DataSource dataSource;
    private final Runnable onEventsAppended;
    private final IntPredicate announcedHere;
    private final Consumer<String> onTyping;
    private final Thread thread;
    private volatile boolean running = true;
    /** PostgreSQL's process id of the listening connection, 0 while there is none. */
    private volatile int backendPid;

    private PostgresNotifications(DataSource dataSource, Runnable onEventsAppended, IntPredicate announcedHere,
                                  Consumer<String> onTyping) {
        this.dataSource = dataSource;
        this.onEventsAppended = onEventsAppended;
        this.announcedHere = announcedHere;
        this.onTyping = onTyping;
        this.thread = Thread.ofPlatform().daemon().name("postgres-notifications").start(this::run);
    }

    /**
     * {@code announcedHere} tells, by the notifying backend's process id, which event announcements came from this
     * node: its readers were woken at its own commit already, and a second wake-up would cost an empty fetch.
     */
    public static PostgresNotifications start(DataSource dataSource, Runnable onEventsAppended, IntPredicate announcedHere,
                                       Consumer<String> onTyping) {
        return new PostgresNotifications(dataSource, onEventsAppended, announcedHere, onTyping);
    }

    private void run() {
        while (running) {
            try (var connection = dataSource.getConnection()) {
                listen(connection);
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.log(Level.WARNING, "lost the notification connection; reconnecting", e);
                    // a commit may have gone unnoticed while we were away
                    onEventsAppended.run();
                    if (!pause()) {
                        return;
                    }
                }
            }
        }
    }

    /** PostgreSQL's process id of this node's listening connection; 0 while it is not listening. */
    public int backendPid() {
        return backendPid;
    }

    private void listen(Connection connection) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("LISTEN " + EVENTS_CHANNEL);
            statement.execute("LISTEN " + TYPING_CHANNEL);
            statement.execute("SELECT pg_advisory_lock_shared(" + LISTENING + ")");
        }
        var postgres = connection.unwrap(PGConnection.class);
        backendPid = postgres.getBackendPID();
        try {
            receive(postgres);
        } finally {
            backendPid = 0;
            // the connection goes back to the pool: it must neither hold the lock nor keep receiving notifications
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_unlock_shared(" + LISTENING + ")");
                statement.execute("UNLISTEN *");
            } catch (SQLException broken) {
                LOG.log(Level.FINE, "could not release the listening connection cleanly", broken);
            }
        }
    }

    private void receive(PGConnection postgres) throws SQLException {
        while (running) {
            var notifications = postgres.getNotifications(POLL_MILLIS);
            if (notifications == null) {
                continue;
            }
            var appended = false;
            for (var notification : notifications) {
                if (EVENTS_CHANNEL.equals(notification.getName())) {
                    appended |= !announcedHere.test(notification.getPID());
                } else if (TYPING_CHANNEL.equals(notification.getName())) {
                    onTyping.accept(notification.getParameter());
                }
            }
            if (appended) {
                onEventsAppended.run();
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
