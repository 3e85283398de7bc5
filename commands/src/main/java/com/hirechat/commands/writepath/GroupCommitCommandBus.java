package com.hirechat.commands.writepath;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
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
 */
public final class GroupCommitCommandBus extends SimpleCommandBus {

    private static final Logger LOG = Logger.getLogger(GroupCommitCommandBus.class.getName());

    private final TransactionManager transactionManager;
    private final CommandBusSpanFactory spanFactory;
    private final CachingCommandTargetResolver targets = new CachingCommandTargetResolver();
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors = new CopyOnWriteArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private final int maxBatch;

    /**
     * @param builder            the plain bus's other settings (duplicate handlers, monitor); its transaction
     *                           manager and span factory are set from the next two arguments
     * @param transactionManager the transaction every unit of work, batched or not, runs in
     * @param spanFactory        traces each command's handling, also inside a batch
     * @param workerCount        threads handling commands, each its own share of the aggregates
     * @param maxBatch           most commands handled in one unit of work
     * @param threads            makes the worker threads
     */
    public GroupCommitCommandBus(Builder builder, TransactionManager transactionManager,
                                 CommandBusSpanFactory spanFactory, int workerCount, int maxBatch,
                                 ThreadFactory threads) {
        super(builder.transactionManager(transactionManager).spanFactory(spanFactory));
        if (workerCount < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("workerCount and maxBatch must be at least 1");
        }
        this.transactionManager = transactionManager;
        this.spanFactory = spanFactory;
        this.maxBatch = maxBatch;
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
        workers.get(Math.floorMod(routingKey(command).hashCode(), workers.size()))
                .queue.add(new Pending<>(command, handler, callback));
    }

    /** Stops the workers; commands still queued are not handled. */
    public void shutdown() {
        workers.forEach(worker -> worker.thread.interrupt());
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
    }

    /** One thread and its queue: takes what has queued up, handles it, repeats. */
    private final class Worker implements Runnable {

        private final BlockingQueue<Pending<?, ?>> queue = new LinkedBlockingQueue<>();
        private Thread thread;

        @Override
        public void run() {
            var batch = new ArrayList<Pending<?, ?>>(maxBatch);
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
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
                    batch.forEach(pending -> pending.answer(e));
                } finally {
                    batch.clear();
                }
            }
        }
    }
}
