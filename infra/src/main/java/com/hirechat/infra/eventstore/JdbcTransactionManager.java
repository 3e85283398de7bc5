package com.hirechat.infra.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Axon transactions as plain JDBC transactions on one pooled connection bound to the thread.
 * Everything inside a unit of work (event store append, token update, projection rows via Jdbi)
 * asks {@link #connectionProvider()} and gets that same connection, so it all commits or rolls back together.
 *
 * <p>A transaction of {@link #beginningOnDemand()} begins as soon as anything but the event store asks
 * {@link #connectionProvider()} for its connection, so no code inside a command's unit of work can write outside the
 * transaction by forgetting to begin it. The event store takes {@link #storeConnections()} instead: its reads and its
 * single-statement append leave the transaction as it is. Once that append has committed itself, the unit of work
 * is over as far as the database goes, and asking for its connection again is refused: nothing written then could
 * be atomic with the events.
 */
public final class JdbcTransactionManager implements TransactionManager {

    private static final Transaction JOINED = new Transaction() {
        @Override
        public void commit() {
            // the outermost transaction commits
        }

        @Override
        public void rollback() {
            // the outermost transaction rolls back
        }
    };

    private static final Logger LOG = Logger.getLogger(JdbcTransactionManager.class.getName());

    private final DataSource dataSource;
    private final ThreadLocal<BoundTransaction> bound = new ThreadLocal<>();

    public JdbcTransactionManager(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Transaction startTransaction() {
        return start(false);
    }

    /**
     * The same transactions on the same thread-bound connections, except that their commit does not wait for the
     * disk. Only for work that is redone after a crash anyway: a read-model batch commits its rows together with its
     * tracking token, so a batch lost to a crash is lost whole and replayed from the event store.
     */
    public TransactionManager withoutWaitingForTheDisk() {
        return () -> start(true);
    }

    /**
     * The same transactions, except that a read ({@link #fetchInTransaction}) outside any transaction runs on its own
     * auto-committing connection. For the event store's reads: each is one query whose result is only ever appended
     * to, so a transaction around it would only add a {@code BEGIN} and a {@code COMMIT} round trip to every fetch of
     * the tailing reader, which runs after every commit.
     */
    TransactionManager withReadsOutsideTransactions() {
        return new TransactionManager() {
            @Override
            public Transaction startTransaction() {
                return start(false);
            }

            @Override
            public <T> T fetchInTransaction(Supplier<T> supplier) {
                return supplier.get();
            }
        };
    }

    /**
     * The same transactions, except that each begins only when something besides the event store uses the connection
     * ({@link #connectionProvider()}) or {@link #beginIfDeferred()} asks for it, and until then every statement
     * commits on its own. For the commands: a unit of work whose one write is the event store's single-statement
     * append then stores and commits it in one round trip, where a transaction takes a second one for its
     * {@code COMMIT} (and holds the command's worker and the conversation's lock meanwhile). What writes after the
     * append in the same unit of work (a subscribing handler) must have {@code beginIfDeferred()} called before it.
     */
    public TransactionManager beginningOnDemand() {
        return () -> start(false, true);
    }

    /**
     * Makes this thread's transaction, if it was started by {@link #beginningOnDemand()} and has not begun yet, a
     * real one from its next statement on (the driver sends the {@code BEGIN} with that statement); else nothing.
     */
    void beginIfDeferred() {
        var transaction = bound.get();
        if (transaction != null) {
            transaction.begin();
        }
    }

    /** The event store's append has just run on this thread's connection: without a transaction, it committed. */
    void appended() {
        var transaction = bound.get();
        if (transaction != null) {
            transaction.appended();
        }
    }

    private Transaction start(boolean asynchronousCommit) {
        return start(asynchronousCommit, false);
    }

    private Transaction start(boolean asynchronousCommit, boolean deferBegin) {
        if (bound.get() != null) {
            return JOINED;
        }
        try {
            var connection = dataSource.getConnection();
            try {
                connection.setAutoCommit(deferBegin);
                if (asynchronousCommit) {
                    try (var statement = connection.createStatement()) {
                        statement.execute("SET LOCAL synchronous_commit TO off");
                    }
                }
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            var transaction = new BoundTransaction(connection);
            bound.set(transaction);
            return transaction;
        } catch (SQLException e) {
            throw new JdbcException("cannot start a transaction", e);
        }
    }

    /**
     * The transaction's connection when one is active on this thread (its close is a no-op), begun if it was
     * deferred; else a pooled one.
     */
    public ConnectionProvider connectionProvider() {
        return () -> {
            var transaction = bound.get();
            if (transaction == null) {
                return dataSource.getConnection();
            }
            transaction.begin();
            return ConnectionWrapperFactory.wrap(transaction.connection, new ConnectionWrapperFactory.NoOpCloseHandler());
        };
    }

    /**
     * For the event store only: the transaction's connection as it is (not begun), else a pooled one. Its reads need
     * no transaction, and its append decides for itself ({@link JdbcEventStorage}).
     */
    ConnectionProvider storeConnections() {
        return () -> {
            var transaction = bound.get();
            if (transaction == null) {
                return dataSource.getConnection();
            }
            return ConnectionWrapperFactory.wrap(transaction.connection, new ConnectionWrapperFactory.NoOpCloseHandler());
        };
    }

    private final class BoundTransaction implements Transaction {

        private final Connection connection;
        /** A deferred transaction's append ran on its own: its events are committed whatever follows. */
        private boolean selfCommitted;

        private BoundTransaction(Connection connection) {
            this.connection = connection;
        }

        void begin() {
            if (selfCommitted) {
                throw new IllegalStateException("the unit of work's events committed themselves with their append;"
                        + " nothing written after it could be atomic with them. Handle the event in a subscribing"
                        + " processor (the append then begins the transaction) or write before the events are stored");
            }
            try {
                if (connection.getAutoCommit()) {
                    connection.setAutoCommit(false);
                }
            } catch (SQLException e) {
                throw new JdbcException("cannot begin a transaction", e);
            }
        }

        void appended() {
            try {
                selfCommitted = connection.getAutoCommit();
            } catch (SQLException e) {
                throw new JdbcException("cannot tell whether the append committed", e);
            }
        }

        @Override
        public void commit() {
            try {
                if (!connection.getAutoCommit()) { // else every statement committed itself
                    connection.commit();
                }
            } catch (SQLException e) {
                throw new JdbcException("cannot commit", e);
            } finally {
                release();
            }
        }

        @Override
        public void rollback() {
            if (selfCommitted) {
                // the refusal in begin() keeps our own code from getting here; anything that still does is a bug
                LOG.severe("a unit of work rolled back after its events committed themselves: they stay stored");
            }
            try {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            } catch (SQLException e) {
                throw new JdbcException("cannot roll back", e);
            } finally {
                release();
            }
        }

        private void release() {
            bound.remove();
            try {
                connection.setAutoCommit(true);
                connection.close();
            } catch (SQLException e) {
                throw new JdbcException("cannot return the connection to the pool", e);
            }
        }
    }
}
