package com.hirechat.commands.writepath;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;


import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;

/**
 * A local command bus whose workers handle the commands that queued up while they were busy in one unit of work,
 * so that their events go to the store in one transaction and one commit: under load, many sends share one
 * round trip and one disk flush instead of paying for their own.
 *
 * <p>Each command goes to the worker of its target aggregate, so commands for one aggregate keep their order and
 * two workers never wait for each other's aggregate locks. A batch either commits as a whole or, when any of its
 * commands fails or the commit does, is rolled back and every command in it is handled again on its own, so each
 * caller gets exactly the outcome it would have had alone: a broken rule fails only the command that broke it.
 *
 * <p>Each worker queues at most {@code queueCapacity} commands: one dispatched to a full queue is refused at once with
 * {@link CommandRefused} (the client's {@code unavailable}, to retry), never left waiting for a worker that cannot
 * keep up. {@link #shutdown()} answers every command still queued the same way, so no caller is left hanging.
 */
public final class GroupCommitCommandBus extends SimpleCommandBus {

    private static final Logger LOG = Logger.getLogger(GroupCommitCommandBus.class.getName());
    /** How long {@link #shutdown()} waits for a worker's batch in hand before answering its queue regardless. */
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(5);
    /** How often an idle worker looks whether the bus is shutting down. */
    private static final Duration IDLE_LOOK = Duration.ofMillis(200);

    private final TransactionManager transactionManager;
    private final CommandBusSpanFactory spanFactory;
    private final CachingCommandTargetResolver targets = new CachingCommandTargetResolver();
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors = new CopyOnWriteArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final int maxBatch;
    private final int queueCapacity;
    private volatile boolean shutDown;

    /**
     * @param builder            the plain bus's other settings (duplicate handlers, monitor); its transaction
     *                           manager and span factory are set from the next two arguments
     * @param transactionManager the transaction every unit of work, batched or not, runs in
     * @param spanFactory        traces each command's handling, also inside a batch
     * @param workerCount        threads handling commands, each its own share of the aggregates
     * @param maxBatch           most commands handled in one unit of work
     * @param queueCapacity      most commands waiting for one worker; more are refused with {@link CommandRefused}
     * @param threads            makes the worker threads
     */
    public GroupCommitCommandBus(Builder builder, TransactionManager transactionManager,
                                 CommandBusSpanFactory spanFactory, int workerCount, int maxBatch, int queueCapacity,
                                 ThreadFactory threads) {
        super(builder.transactionManager(transactionManager).spanFactory(spanFactory));
        if (workerCount < 1 || maxBatch < 1 || queueCapacity < 1) {
            throw new IllegalArgumentException("workerCount, maxBatch and queueCapacity must be at least 1");
        }
        this.transactionManager = transactionManager;
        this.spanFactory = spanFactory;
        this.maxBatch = maxBatch;
        this.queueCapacity = queueCapacity;
        for (int i = 0; i < workerCount; i++) {
            var worker = new Worker();
            workers.add(worker);
            worker.thread = threads.newThread(worker);
            worker.thread.start();
        }
    }

    @Override
    public Registration registerHandlerInterceptor(
            MessageHandlerInterceptor<? super CommandMessage<?>> handlerInterceptor) {
        var inPlainBus = super.registerHandlerInterceptor(handlerInterceptor);
        interceptors.add(handlerInterceptor);
        return () -> {
            interceptors.remove(handlerInterceptor);
            return inPlainBus.cancel();
        };
    }

    @Override
    protected <C, R> void handle(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {
        var pending = new Pending<>(command, handler, callback);
        if (shutDown) {
            pending.fail(CommandRefused.shuttingDown());
            return;
        }
        var queue = workers.get(Math.floorMod(routingKey(command).hashCode(), workers.size())).queue;
        if (!queue.offer(pending)) {
            pending.fail(CommandRefused.queueFull(queueCapacity));
            return;
        }
        if (shutDown && queue.remove(pending)) {
            // queued while shutdown() drained: its worker may be gone
            pending.fail(CommandRefused.shuttingDown());
        }
    }

    /**
     * Stops the workers: every command still queued, or dispatched from now on, is refused with
     * {@link CommandRefused} at once; a batch in hand finishes and is answered (waited for up to
     * {@link #SHUTDOWN_PATIENCE}).
     */
    public void shutdown() {
        shutDown = true;
        for (var worker : workers) {
            var left = new ArrayList<Pending<?, ?>>();
            worker.queue.drainTo(left); // each command leaves the queue once: to its worker or to this refusal
            left.forEach(pending -> pending.fail(CommandRefused.shuttingDown()));
        }
        for (var worker : workers) {
            try {
                worker.thread.join(SHUTDOWN_PATIENCE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String routingKey(CommandMessage<?> command) {
        try {
            return targets.resolveTarget(command).getIdentifier();
        } catch (IllegalArgumentException noTarget) {
            return command.getCommandName();
        }
    }

    private <C, R> void handleAlone(Pending<C, R> pending) {
        super.handle(pending.command, pending.handler, pending.callback);
    }

    private void handleTogether(List<Pending<?, ?>> batch) {
        var messages = new ArrayList<CommandMessage<?>>(batch.size());
        batch.forEach(pending -> messages.add(pending.command));
        var unitOfWork = new BatchingUnitOfWork<CommandMessage<?>>(messages);
        unitOfWork.attachTransaction(transactionManager);
        var next = new int[1];
        unitOfWork.executeWithResult(() -> {
            var pending = batch.get(next[0]++);
            return spanFactory.createHandleCommandSpan(pending.command, false).runCallable(
                    () -> new DefaultInterceptorChain<>(unitOfWork, interceptors, pending.handler).proceed());
        }, RollbackConfigurationType.UNCHECKED_EXCEPTIONS); // what the plain bus uses unless told otherwise
        if (unitOfWork.isRolledBack()) {
            // nothing of the batch was stored (and the aggregates it touched left the cache): each on its own
            batch.forEach(this::handleAlone);
            return;
        }
        var results = unitOfWork.getExecutionResults();
        batch.forEach(pending -> pending.answer(results.get(pending.command).getResult()));
    }

    /** A command waiting for its worker, with what handles it and who waits for its answer. */
    private record Pending<C, R>(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {

        void answer(Object result) {
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(result));
        }

        /** An exceptional answer: given to {@link #answer} it would be the command's result, not its failure. */
        void fail(Throwable failure) {
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(failure));
        }
    }

    /** One thread and its queue: takes what has queued up, handles it, repeats. */
    private final class Worker implements Runnable {

        private final BlockingQueue<Pending<?, ?>> queue = new LinkedBlockingQueue<>(queueCapacity);
        private Thread thread;

        @Override
        public void run() {
            var batch = new ArrayList<Pending<?, ?>>(maxBatch);
            while (!shutDown) {
                Pending<?, ?> first;
                try {
                    // not interrupted to stop: that would fail the batch in hand; it looks at the flag this often
                    first = queue.poll(IDLE_LOOK.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                try {
                    if (batch.size() == 1) {
                        handleAlone(batch.getFirst());
                    } else {
                        handleTogether(batch);
                    }
                } catch (RuntimeException | Error e) {
                    // the handlers' own failures reach their callers; this is the bus failing, which must not
                    // take the worker (and every later command of its aggregates) with it
                    LOG.log(Level.SEVERE, "command worker failed on a batch of " + batch.size(), e);
                    batch.forEach(pending -> pending.fail(e));
                } finally {
                    batch.clear();
                }
            }
        }
    }
}
