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
 * round trip per run of the same statement on a table instead of one per statement and event.
 *
 * <p>Within a table the statements keep their order; the tables are written one after another in the order of
 * {@link Projection}'s declarations. That is the events' order wherever it matters, because a queued statement reads
 * no other table's queued rows except {@code analytics.conversations}, which reads the message row of its own event
 * in {@code analytics.messages} (declared before it). Rows that other statements read as they are at an event go
 * through {@link #now}, which first writes everything queued before it: a read position (it counts the history)
 * and a profile (the analytics copy the sender's role). Outside a unit of work every statement runs at once.
 */
public final class ReadModelWrites {

    private static final AtomicLong INSTANCES = new AtomicLong();

    private final Jdbi jdbi;
    private final String resourceKey = ReadModelWrites.class.getName() + "#" + INSTANCES.incrementAndGet();

    public ReadModelWrites(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Queues {@code sql} on {@code table} with the parameters {@code bind} sets, for the unit of work's commit. */
    void queue(ReadModelTable table, String sql, Consumer<PreparedBatch> bind) {
        if (!CurrentUnitOfWork.isStarted()) {
            run(List.of(new Statement(sql, bind)));
            return;
        }
        var unitOfWork = CurrentUnitOfWork.get().root();
        unitOfWork.getOrComputeResource(resourceKey, key -> {
            var pending = new Pending();
            unitOfWork.onPrepareCommit(committing -> flush(pending));
            return pending;
        }).add(table, new Statement(sql, bind));
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
        var inOrder = new ArrayList<Statement>();
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

    /** Runs the statements in order, each run of the same SQL as one JDBC batch. */
    private void run(List<Statement> statements) {
        jdbi.useHandle(handle -> {
            for (var start = 0; start < statements.size(); ) {
                var sql = statements.get(start).sql();
                var batch = handle.prepareBatch(sql);
                var end = start;
                while (end < statements.size() && statements.get(end).sql().equals(sql)) {
                    statements.get(end).bind().accept(batch);
                    batch.add();
                    end++;
                }
                batch.execute();
                start = end;
            }
        });
    }

    private record Statement(String sql, Consumer<PreparedBatch> bind) {
    }

    /** What one unit of work queued, per table in the order it was queued. */
    private static final class Pending {

        private final Map<ReadModelTable, List<Statement>> byTable = new LinkedHashMap<>();

        void add(ReadModelTable table, Statement statement) {
            byTable.computeIfAbsent(table, key -> new ArrayList<>()).add(statement);
        }
    }
}
