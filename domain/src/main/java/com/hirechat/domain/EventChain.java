package com.hirechat.domain;

/**
 * How a conversation event is linked into its tamper-evidence chain when it is recorded.
 *
 * <p>The aggregate's command handlers receive it as a handler parameter (a component of the Axon configuration), so
 * the domain decides when an event is chained while the write side decides over which bytes: the hash must cover
 * the event as it is stored, which only the serializer of the event store knows.
 */
public interface EventChain {

    /** The scheme this chain writes, stored beside each hash under {@link EventHash#SCHEME_KEY}. */
    String scheme();

    /** The hash of {@code event} chained to {@code previous} ({@link EventHash#GENESIS} for a conversation's first). */
    String next(String previous, ConversationEvent event);
}
