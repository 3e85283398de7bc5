package com.hirechat.commands.writepath;

import java.util.List;
import java.util.concurrent.Executor;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.Snapshotter;

import com.hirechat.domain.Conversation;
import com.hirechat.domain.UserAccount;

/** How the Conversation aggregate is loaded: from a cache when warm, else from its latest snapshot plus newer events. */
public final class ConversationWriteModel {

    /**
     * Events after which the first snapshot is taken; later ones follow when the events since the last reach half
     * the conversation's length ({@link GrowingSnapshotTriggerDefinition}). Bounds a cold load of a long conversation.
     */
    public static final int FIRST_SNAPSHOT_AFTER_EVENTS = 250;

    private ConversationWriteModel() {
    }

    /**
     * Aggregates kept in memory per type, most recently used first: a conversation that was used is loaded again
     * only after this many others were used since (or after a rollback evicted it).
     */
    public static final int CACHED_AGGREGATES = 10_000;

    /** Profiles change rarely and are small: cached, never snapshotted. */
    public static AggregateConfigurer<UserAccount> userAccounts() {
        return AggregateConfigurer.defaultConfiguration(UserAccount.class)
                .configureCommandTargetResolver(c -> new CachingCommandTargetResolver())
                .configureCache(c -> new BoundedAggregateCache(CACHED_AGGREGATES));
    }

    /**
     * Takes snapshots on {@code executor}, after the triggering command committed: with Axon's default direct
     * executor the send that crossed the threshold waited, before its ack, for the whole conversation to be
     * re-read and serialised.
     */
    public static Snapshotter snapshotter(Configuration axon, TransactionManager transactions, Executor executor) {
        return AggregateSnapshotter.builder()
                .eventStore(axon.eventStore())
                .transactionManager(transactions)
                .aggregateFactories(List.of(axon.aggregateFactory(Conversation.class)))
                .repositoryProvider(axon::repository)
                .parameterResolverFactory(axon.parameterResolverFactory())
                .handlerDefinition(axon.handlerDefinition(Conversation.class))
                .executor(executor)
                .build();
    }

    public static AggregateConfigurer<Conversation> aggregate() {
        return AggregateConfigurer.defaultConfiguration(Conversation.class)
                .configureCommandTargetResolver(c -> new CachingCommandTargetResolver())
                // evicted on rollback, so a conflicting write from another node is re-read from the store
                .configureCache(c -> new BoundedAggregateCache(CACHED_AGGREGATES))
                .configureSnapshotTrigger(c -> new GrowingSnapshotTriggerDefinition(c.snapshotter(),
                        FIRST_SNAPSHOT_AFTER_EVENTS));
    }
}
