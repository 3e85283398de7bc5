package com.hirechat.commands;

import org.axonframework.config.AggregateConfigurer;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;

import com.hirechat.domain.Conversation;
import com.hirechat.domain.UserAccount;

/** How the Conversation aggregate is loaded: from a cache when warm, else from its latest snapshot plus newer events. */
public final class ConversationWriteModel {

    /** Events after which a new snapshot is taken; bounds a cold load of a long conversation. */
    public static final int SNAPSHOT_EVERY_EVENTS = 250;

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
                .configureCache(c -> new BoundedAggregateCache(CACHED_AGGREGATES));
    }

    public static AggregateConfigurer<Conversation> aggregate() {
        return AggregateConfigurer.defaultConfiguration(Conversation.class)
                // evicted on rollback, so a conflicting write from another node is re-read from the store
                .configureCache(c -> new BoundedAggregateCache(CACHED_AGGREGATES))
                .configureSnapshotTrigger(c -> new EventCountSnapshotTriggerDefinition(c.snapshotter(),
                        SNAPSHOT_EVERY_EVENTS));
    }
}
