package com.hirechat.domain;

import java.util.Optional;

/**
 * Every message a conversation ever accepted, kept outside the aggregate so that its memory and snapshots stay
 * bounded: the aggregate remembers only its recent messages and asks the ledger about older ones.
 *
 * <p>Like {@link EventChain}, the command handlers receive it as a handler parameter (a component of the Axon
 * configuration); the write side implements it over the event store.
 */
public interface MessageLedger {

    /**
     * The answer given to {@code sender}'s message with this client id in the conversation, if one is stored.
     *
     * <p>An empty answer may be provisional only where the store itself refuses a second message of the same sender
     * and client id when the events are appended, and the lookup of the command's next attempt is then exact: a
     * retry is answered with the original or fails (and is retried), never stored twice.
     */
    Optional<MessageAccepted> accepted(ConversationId conversation, UserId sender, ClientMessageId clientMessageId);

    /** The author, seq and redaction of a stored message of the conversation, exactly as its events say. */
    Optional<MessageFacts> facts(ConversationId conversation, MessageId messageId);
}
