package com.hirechat.projections;

import java.util.stream.Stream;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.serialization.Serializer;

import com.hirechat.domain.ConversationId;

/**
 * Stored events rebuilt through Axon's API, for stores whose rows cannot be read directly (Axon Server): each
 * payload is serialized again with the event serializer. Those are the stored bytes only while no upcaster or
 * changed event class lies between what was stored and what the code reads back.
 */
public final class ReserializedStoredEvents implements StoredEvents {

    private final EventStore eventStore;
    private final Serializer eventSerializer;

    public ReserializedStoredEvents(EventStore eventStore, Serializer eventSerializer) {
        this.eventStore = eventStore;
        this.eventSerializer = eventSerializer;
    }

    @Override
    public Stream<StoredEvent> read(ConversationId conversation) {
        return eventStore.readEvents(conversation.value(), 0).asStream().map(this::stored);
    }

    private StoredEvent stored(DomainEventMessage<?> message) {
        try {
            var serialized = eventSerializer.serialize(message.getPayload(), byte[].class);
            return new StoredEvent(message.getAggregateIdentifier(), message.getSequenceNumber(),
                    serialized.getType().getName(), serialized.getType().getRevision(), serialized.getData(), message);
        } catch (RuntimeException unreadable) {
            // no bytes to hash: the link reads as broken at this seq instead of ending the walk
            return new StoredEvent(message.getAggregateIdentifier(), message.getSequenceNumber(), null, null, null,
                    message);
        }
    }
}
