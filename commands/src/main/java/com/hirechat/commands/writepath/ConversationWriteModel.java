package com.hirechat.commands.writepath;

import java.util.List;
import java.util.concurrent.Executor;

import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;

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

    /**
     * Which of this package's pieces load the aggregates; each can be Axon's own instead, to compare (the runtime
     * fallbacks of the infra module).
     *
     * @param boundedCache         {@link BoundedAggregateCache}, else Axon's {@code WeakReferenceCache}
     * @param cachedTargetResolver {@link CachingCommandTargetResolver}, else Axon's annotation resolver
     * @param growingSnapshots     {@link GrowingSnapshotTriggerDefinition}, else Axon's fixed interval of
     *                             {@link #FIRST_SNAPSHOT_AFTER_EVENTS} events
     */
    public record Pieces(boolean boundedCache, boolean cachedTargetResolver, boolean growingSnapshots) {

        /** Every custom piece, as production runs. */
        public static final Pieces ALL = new Pieces(true, true, true);

        private Cache cache() {
            return boundedCache ? new BoundedAggregateCache(CACHED_AGGREGATES) : new WeakReferenceCache();
        }

        private CommandTargetResolver targetResolver() {
            return cachedTargetResolver ? new CachingCommandTargetResolver()
                    : AnnotationCommandTargetResolver.builder().build();
        }
    }

    /** Profiles change rarely and are small: cached, never snapshotted. */
    public static AggregateConfigurer<UserAccount> userAccounts() {
        return userAccounts(Pieces.ALL);
    }

    public static AggregateConfigurer<UserAccount> userAccounts(Pieces pieces) {
        return AggregateConfigurer.defaultConfiguration(UserAccount.class)
                .configureCommandTargetResolver(c -> pieces.targetResolver())
                .configureCache(c -> pieces.cache());
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
        return aggregate(Pieces.ALL);
    }

    public static AggregateConfigurer<Conversation> aggregate(Pieces pieces) {
        return AggregateConfigurer.defaultConfiguration(Conversation.class)
                .configureCommandTargetResolver(c -> pieces.targetResolver())
                // evicted on rollback, so a conflicting write from another node is re-read from the store
                .configureCache(c -> pieces.cache())
                .configureSnapshotTrigger(c -> pieces.growingSnapshots()
                        ? new GrowingSnapshotTriggerDefinition(c.snapshotter(), FIRST_SNAPSHOT_AFTER_EVENTS)
                        : new EventCountSnapshotTriggerDefinition(c.snapshotter(), FIRST_SNAPSHOT_AFTER_EVENTS));
    }
}
