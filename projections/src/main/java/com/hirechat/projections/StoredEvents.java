package com.hirechat.projections;

import java.util.stream.Stream;

import com.hirechat.domain.ConversationId;

/** A conversation's events as the event store holds them, in order: what chain verification and exports read. */
public interface StoredEvents {

    /** Every stored event of the conversation, in sequence order, fetched lazily; close the stream. */
    Stream<StoredEvent> read(ConversationId conversation);
}
