package com.hirechat.projections;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The read-model processor's statements, held until its unit of work commits and then sent as JDBC batches: one
 * round trip per run of the same statement on a table instead of one per statement and event. A run of the same
 * {@link RowStatement} goes further: one execution for all its rows, so PostgreSQL plans and runs it once and can
 * write each affected row once (a conversation's contacts change once per batch, not once per message).
 *
 * <p>Within a table the statements keep their order; the tables are written one after another in the order of
 * {@link Projection}'s declarations. That is the events' order wherever it matters, because a queued statement reads
 * no other table's queued rows except {@code analytics.conversations}, which reads the message row of its own event
 * in {@code analytics.messages} (declared before it), and a redaction's contacts update, which reads the removed
 * message's sender in {@code message_history} (declared before it; only the sender, which no later event changes). Rows that other statements read as they are at an event go
 * through {@link #now}, which first writes everything queued before it: a read position (it counts the history)
 * and a profile (the analytics copy the sender's role). Outside a unit of work every statement runs at once.
 */
public final class ReadModelWrites {

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final Jdbi jdbi;
    private final boolean batching;
    private final String resourceKey = ReadModelWrites.class.getName() + "#" + INSTANCES.incrementAndGet();

    public ReadModelWrites(Jdbi jdbi) {
        this(jdbi, true);
    }

    /**
     * {@code batching} false: every statement runs at once, as each event is handled (the plain approach, to compare
     * with; still inside the unit of work's transaction).
     */
    public ReadModelWrites(Jdbi jdbi, boolean batching) {
        this.jdbi = jdbi;
        this.batching = batching;
    }

    /** Queues {@code sql} on {@code table} with the parameters {@code bind} sets, for the unit of work's commit. */
    void queue(ReadModelTable table, String sql, Consumer<PreparedBatch> bind) {
        enqueue(table, new Single(sql, bind));
    }

    /**
     * Queues one row of {@code statement} on {@code table}: {@code values} in the order of its columns, each written
     * as text ({@code null} stays null), which the statement casts to the column's type.
     */
    void queueRow(ReadModelTable table, RowStatement statement, Object... values) {
        if (values.length != statement.columns().size()) {
            throw new IllegalArgumentException(statement.columns().size() + " values expected, got " + values.length);
        }
        var text = new String[values.length];
        for (var i = 0; i < values.length; i++) {
            text[i] = values[i] == null ? null : values[i].toString();
        }
        enqueue(table, new Row(statement, text));
    }

    private void enqueue(ReadModelTable table, Queued statement) {
        if (!batching || !CurrentUnitOfWork.isStarted()) {
            run(List.of(statement));
            return;
        }
        var unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(resourceKey, key -> {
            var pending = new Pending();
            unitOfWork.onPrepareCommit(committing -> flush(pending));
            return pending;
        }).add(table, statement);
    }

    /** Writes everything queued, then runs {@code work}: for statements that read other tables as of their event. */
    void now(Consumer<Handle> work) {
        if (CurrentUnitOfWork.isStarted()) {
            Pending pending = CurrentUnitOfWork.get().root().getResource(resourceKey);
            if (pending != null) {
                flush(pending);
            }
        }
        jdbi.useHandle(work::accept);
    }

    private void flush(Pending pending) {
        if (pending.byTable.isEmpty()) {
            return;
        }
        var inOrder = new ArrayList<Queued>();
        for (var table : Projection.tablesInOrder()) {
            var statements = pending.byTable.remove(table);
            if (statements != null) {
                inOrder.addAll(statements);
            }
        }
        if (!pending.byTable.isEmpty()) {
            throw new IllegalStateException("statements queued for tables no projection declares: "
                    + pending.byTable.keySet());
        }
        run(inOrder);
    }

    /** Runs the statements in order: each run of the same SQL as one JDBC batch, or one execution for rows. */
    private void run(List<Queued> statements) {
        jdbi.useHandle(handle -> {
            for (var start = 0; start < statements.size(); ) {
                var first = statements.get(start);
                var sql = first.sql();
                var end = start;
                while (end < statements.size() && statements.get(end).getClass() == first.getClass()
                        && statements.get(end).sql().equals(sql)) {
                    end++;
                }
                var run = statements.subList(start, end);
                if (first instanceof Row row) {
                    var update = handle.createUpdate(sql);
                    var columns = row.statement().columns();
                    for (var column = 0; column < columns.size(); column++) {
                        var index = column;
                        update.bindArray(columns.get(column), String.class,
                                run.stream().map(queued -> ((Row) queued).values()[index]).toList());
                    }
                    update.execute();
                } else {
                    var batch = handle.prepareBatch(sql);
                    for (var queued : run) {
                        ((Single) queued).bind().accept(batch);
                        batch.add();
                    }
                    batch.execute();
                }
                start = end;
            }
        });
    }

    /**
     * A statement that applies any number of rows in one execution: each of {@code columns} is a named parameter
     * bound as a text array with that column of every row (see {@code unnest}). Its author makes sure that one
     * execution over rows in event order leaves the same table as one execution per row would;
     * {@code ReadModelWritesTest} compares the two.
     */
    record RowStatement(String sql, List<String> columns) {

        RowStatement(String sql, String... columns) {
            this(sql, List.of(columns));
        }
    }

    private sealed interface Queued permits Single, Row {
        String sql();
    }

    private record Single(String sql, Consumer<PreparedBatch> bind) implements Queued {
    }

    private record Row(RowStatement statement, String[] values) implements Queued {

        @Override
        public String sql() {
            return statement.sql();
        }
    }

    /** What one unit of work queued, per table in the order it was queued. */
    private static final class Pending {

        private final Map<ReadModelTable, List<Queued>> byTable = new LinkedHashMap<>();

        void add(ReadModelTable table, Queued statement) {
            byTable.computeIfAbsent(table, key -> new ArrayList<>()).add(statement);
        }
    }
}
