package com.hirechat.infra;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

import com.hirechat.projections.Projection;
import com.hirechat.projections.ReadModelTable;
import com.hirechat.projections.ReadModelWrites;
import com.zaxxer.hikari.HikariDataSource;
import com.hirechat.infra.eventstore.JdbcTransactionManager;

/**
 * Rebuilds projections from the event store into shadow tables (schemas {@code rebuild_public} and
 * {@code rebuild_analytics}) while the live tables keep serving, then switches over: with the live tables locked
 * against writes (reads go on), the shadow catches up with every committed event and its rows replace the live
 * rows in one transaction. Events the live processor applies afterwards that the shadow already had are skipped
 * by the projections' {@code last_event_seq} guards, so nothing is applied twice or lost.
 */
final class ProjectionRebuild implements AutoCloseable {

    /** Prefix of the schemas the shadow tables live in: {@code rebuild_public}, {@code rebuild_analytics}. */
    static final String SHADOW_PREFIX = "rebuild_";

    private static final Logger LOG = Logger.getLogger(ProjectionRebuild.class.getName());
    /** Session advisory lock: one rebuild per database at a time (the shadow schemas are shared). */
    private static final long ONE_REBUILD_AT_A_TIME = 0x68697265_72656231L;
    private static final int EVENTS_PER_TRANSACTION = 1_000;
    private static final int SWITCH_ATTEMPTS = 20;
    /** Short, so that a lock queue behind a live batch never turns into a deadlock the live processor loses. */
    private static final String LOCK_WAIT = "500ms";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";

    /** What a switch-over replaced: rows per live table, and how long the live tables were closed to writes. */
    record Switched(Map<String, Integer> rows, Duration writesBlocked) {
    }

    private final DataSource live;
    private final AxonWiring axon;
    private final Connection guard;
    private final HikariDataSource scratch;
    private final JdbcTransactionManager shadowTransactions;
    private final List<AnnotationEventHandlerAdapter> handlers;
    private final List<ReadModelTable> switching;
    private TrackingToken position;
    private long applied;

    private ProjectionRebuild(Database database, AxonWiring axon, Connection guard, Set<Projection> chosen,
                              Set<Projection> building) {
        this.live = database.dataSource();
        this.axon = axon;
        this.guard = guard;
        this.scratch = database.scratchPoolIn(shadowSchema("public"));
        this.shadowTransactions = new JdbcTransactionManager(scratch);
        var connections = shadowTransactions.connectionProvider();
        var jdbi = Jdbi.create(connections::getConnection);
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        var writes = new ReadModelWrites(jdbi);
        this.handlers = building.stream()
                .map(projection -> new AnnotationEventHandlerAdapter(
                        projection.handler(jdbi, writes, shadowSchema("analytics"))))
                .toList();
        this.switching = chosen.stream().flatMap(projection -> projection.tables().stream()).toList();
    }

    /**
     * Creates empty shadow tables for {@code chosen} and everything they read, shaped like the live ones (columns,
     * keys, indexes), dropping what an earlier rebuild left. Fails when another rebuild runs on the database.
     */
    static ProjectionRebuild prepare(Database database, AxonWiring axon, Set<Projection> chosen) {
        var building = EnumSet.noneOf(Projection.class);
        chosen.forEach(projection -> building.addAll(projection.withWhatItReads()));
        Connection guard = null;
        try {
            guard = database.dataSource().getConnection();
            try (var lock = guard.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                lock.setLong(1, ONE_REBUILD_AT_A_TIME);
                try (var result = lock.executeQuery()) {
                    result.next();
                    if (!result.getBoolean(1)) {
                        throw new RebuildException("another rebuild is running on this database");
                    }
                }
            }
            try (var ddl = guard.createStatement()) {
                for (var schema : List.of("public", "analytics")) {
                    ddl.execute("DROP SCHEMA IF EXISTS " + shadowSchema(schema) + " CASCADE");
                    ddl.execute("CREATE SCHEMA " + shadowSchema(schema));
                }
                for (var projection : building) {
                    for (var table : projection.tables()) {
                        ddl.execute("CREATE TABLE " + shadow(table) + " (LIKE " + table.qualified() + " INCLUDING ALL)");
                    }
                }
            }
            return new ProjectionRebuild(database, axon, guard, chosen, building);
        } catch (SQLException e) {
            release(guard);
            throw new RebuildException("cannot prepare the shadow tables: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            release(guard);
            throw e;
        }
    }

    /** Position of the newest event in the store now; -1 when it is empty. */
    long head() {
        var head = axon.configuration().eventStore().createHeadToken();
        return head == null ? -1 : head.position().orElse(-1);
    }

    /** Events applied to the shadow tables so far. */
    long applied() {
        return applied;
    }

    /**
     * Applies every committed event up to position {@code upTo} that the shadow has not seen, reading until a fresh
     * query finds none (events that were still uncommitted below the last position count too).
     */
    void catchUp(long upTo, LongConsumer progress) {
        while (applyOnePass(upTo, progress) > 0) {
            // another pass: its query sees commits that landed below our position meanwhile
        }
    }

    private long applyOnePass(long upTo, LongConsumer progress) {
        long pass = 0;
        try (var events = axon.committedAfter(position)) {
            var iterator = events.iterator();
            var reachedLimit = false;
            while (iterator.hasNext() && !reachedLimit) {
                // a unit of work as the live processor's: the projections' statements are sent when it commits
                var unitOfWork = DefaultUnitOfWork.startAndGet(null);
                unitOfWork.attachTransaction(shadowTransactions);
                var reached = position;
                long batch = 0;
                try {
                    while (batch < EVENTS_PER_TRANSACTION && iterator.hasNext()) {
                        var event = iterator.next();
                        if (event.trackingToken().position().orElse(Long.MAX_VALUE) > upTo) {
                            reachedLimit = true;
                            break;
                        }
                        apply(event);
                        reached = event.trackingToken();
                        batch++;
                    }
                } catch (RuntimeException e) {
                    unitOfWork.rollback(e);
                    throw e;
                }
                try {
                    unitOfWork.commit();
                } catch (RuntimeException e) {
                    throw new RebuildException("writing a batch of " + batch + " events after " + applied
                            + " failed: " + e.getMessage(), e);
                }
                position = reached;
                applied += batch;
                pass += batch;
                progress.accept(applied);
            }
        }
        return pass;
    }

    private void apply(TrackedEventMessage<?> event) {
        for (var handler : handlers) {
            try {
                if (handler.canHandle(event)) {
                    handler.handle(event);
                }
            } catch (Exception e) {
                throw new RebuildException("event at position " + event.trackingToken().position().orElse(-1)
                        + " (" + event.getPayloadType().getSimpleName() + ") failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Replaces the live rows of the chosen projections with the shadow's, caught up to the last committed event,
     * then drops the shadow schemas. Readers keep reading the old rows until the commit.
     */
    Switched switchOver() {
        catchUp(head(), ignored -> { }); // most of the way without any lock
        for (var attempt = 1; ; attempt++) {
            try (var connection = live.getConnection()) {
                connection.setAutoCommit(false);
                try {
                    var switched = switchIn(connection);
                    connection.commit();
                    dropShadow();
                    return switched;
                } catch (SQLException e) {
                    connection.rollback();
                    var contended = LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState());
                    if (!contended || attempt == SWITCH_ATTEMPTS) {
                        throw new RebuildException("switch-over failed, live tables unchanged: " + e.getMessage(), e);
                    }
                    LOG.info("live tables busy, trying the switch-over again");
                }
            } catch (SQLException e) {
                throw new RebuildException("switch-over failed, live tables unchanged: " + e.getMessage(), e);
            }
        }
    }

    private Switched switchIn(Connection connection) throws SQLException {
        var rows = new LinkedHashMap<String, Integer>();
        try (var statement = connection.createStatement()) {
            statement.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
            // EXCLUSIVE: waits for writers in flight, blocks new ones (the live processor, participant changes),
            // lets SELECTs through, so the server keeps answering from the old rows
            statement.execute("LOCK TABLE " + String.join(", ", switching.stream().map(ReadModelTable::qualified).toList())
                    + " IN EXCLUSIVE MODE");
            var locked = System.nanoTime();
            // every event any live writer applied is committed by now: a fresh read finds them all
            catchUp(head(), ignored -> { });
            for (var table : switching) {
                statement.executeUpdate("DELETE FROM " + table.qualified());
                // generated columns (the history's search vector) are computed again, never copied
                var columns = String.join(", ", storedColumns(connection, table));
                rows.put(table.qualified(), statement.executeUpdate("INSERT INTO " + table.qualified() + " (" + columns
                        + ") SELECT " + columns + " FROM " + shadow(table)));
            }
            return new Switched(rows, Duration.ofNanos(System.nanoTime() - locked));
        }
    }

    /** The table's columns other than generated ones, which an INSERT may not name. */
    private static List<String> storedColumns(Connection connection, ReadModelTable table) throws SQLException {
        var columns = new ArrayList<String>();
        try (var query = connection.prepareStatement("""
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = ? AND table_name = ? AND is_generated = 'NEVER' ORDER BY ordinal_position""")) {
            query.setString(1, table.schema());
            query.setString(2, table.name());
            try (var result = query.executeQuery()) {
                while (result.next()) {
                    columns.add('"' + result.getString(1) + '"');
                }
            }
        }
        return columns;
    }

    private void dropShadow() {
        try (var ddl = guard.createStatement()) {
            for (var schema : List.of("public", "analytics")) {
                ddl.execute("DROP SCHEMA IF EXISTS " + shadowSchema(schema) + " CASCADE");
            }
        } catch (SQLException e) {
            LOG.warning(() -> "switched over, but the shadow schemas remain: " + e.getMessage());
        }
    }

    /** The shadow tables, schema-qualified, that a rebuild without switch-over leaves for inspection. */
    List<String> shadowTables() {
        var tables = new ArrayList<String>();
        switching.forEach(table -> tables.add(shadow(table)));
        return tables;
    }

    static String shadowSchema(String liveSchema) {
        return SHADOW_PREFIX + liveSchema;
    }

    private static String shadow(ReadModelTable table) {
        return table.shadowIn(shadowSchema(table.schema()));
    }

    @Override
    public void close() {
        scratch.close();
        release(guard);
    }

    /** Unlocks and returns the guard connection; the pool keeps the session, so the lock is released explicitly. */
    private static void release(Connection guard) {
        if (guard == null) {
            return;
        }
        try (guard; var unlock = guard.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, ONE_REBUILD_AT_A_TIME);
            unlock.execute();
        } catch (SQLException e) {
            LOG.warning(() -> "releasing the rebuild lock: " + e.getMessage());
        }
    }
}
