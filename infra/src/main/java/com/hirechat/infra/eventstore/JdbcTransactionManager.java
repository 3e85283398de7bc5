package com.hirechat.infra.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.ConnectionWrapperFactory;
import org.axonframework.common.jdbc.JdbcException;
import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;

/**
 * Axon transactions as plain JDBC transactions on one pooled connection bound to the thread.
 * Everything inside a unit of work (event store append, token update, projection rows via Jdbi)
 * asks {@link #connectionProvider()} and gets that same connection, so it all commits or rolls back together
 * (for {@link #beginningOnDemand()}, once begun).
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

    private final DataSource dataSource;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

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
     * The same transactions, except that each begins only when {@link #beginIfDeferred()} asks for it, and until then
     * every statement commits on its own. For the commands: a unit of work whose one write is the event store's
     * single-statement append then stores and commits it in one round trip, where a transaction takes a second one
     * for its {@code COMMIT} (and holds the command's worker and the conversation's lock meanwhile). A unit of work
     * that writes anything besides that one statement must call {@code beginIfDeferred()} before its first write.
     */
    public TransactionManager beginningOnDemand() {
        return () -> start(false, true);
    }

    /**
     * Makes this thread's transaction, if it was started by {@link #beginningOnDemand()} and has not begun yet, a
     * real one from its next statement on (the driver sends the {@code BEGIN} with that statement); else nothing.
     */
    void beginIfDeferred() {
        var connection = bound.get();
        if (connection == null) {
            return;
        }
        try {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw new JdbcException("cannot begin a transaction", e);
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
            bound.set(connection);
            return new BoundTransaction(connection);
        } catch (SQLException e) {
            throw new JdbcException("cannot start a transaction", e);
        }
    }

    /** The transaction's connection when one is active on this thread (its close is a no-op), else a pooled one. */
    public ConnectionProvider connectionProvider() {
        return () -> {
            var connection = bound.get();
            if (connection == null) {
                return dataSource.getConnection();
            }
            return ConnectionWrapperFactory.wrap(connection, new ConnectionWrapperFactory.NoOpCloseHandler());
        };
    }

    private final class BoundTransaction implements Transaction {

        private final Connection connection;

        private BoundTransaction(Connection connection) {
            this.connection = connection;
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
