package com.hirechat.infra.axonserver;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.axonframework.eventsourcing.eventstore.EventStore;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageFacts;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageLedger;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/**
 * The message ledger read from the conversation's own events (Axon Server mode, where the events are not in
 * PostgreSQL and no statement can write a side table with them): exact, at the price of reading the conversation's
 * events on every lookup, which the aggregate makes only for a send it does not remember and for edits and
 * redactions of older messages.
 */
final class EventStreamLedger implements MessageLedger {

    private final Supplier<EventStore> events;

    /**
     * {@code events} is asked at each lookup: the ledger is created while Axon builds the aggregate's handlers, which
     * the event store (through its snapshot filter) waits for.
     */
    EventStreamLedger(Supplier<EventStore> events) {
        this.events = events;
    }

    @Override
    public Optional<MessageAccepted> accepted(ConversationId conversation, UserId sender, ClientMessageId clientMessageId) {
        return first(conversation, payload -> payload instanceof MessageSent sent && sent.sentBy().equals(sender)
                && sent.clientMessageId().equals(clientMessageId)
                ? new MessageAccepted(sent.messageId(), sent.seq(), sent.sentAt()) : null);
    }

    @Override
    public Optional<MessageFacts> facts(ConversationId conversation, MessageId messageId) {
        var sent = first(conversation, payload -> payload instanceof MessageSent message
                && message.messageId().equals(messageId) ? message : null);
        if (sent.isEmpty()) {
            return Optional.empty();
        }
        // a redaction always follows its message: read on from it
        boolean redacted = events.get().readEvents(conversation.value(), sent.get().seq()).asStream()
                .anyMatch(event -> event.getPayload() instanceof MessageRedacted redaction
                        && redaction.messageId().equals(messageId));
        return Optional.of(new MessageFacts(sent.get().sentBy(), sent.get().seq(), redacted));
    }

    private <T> Optional<T> first(ConversationId conversation, Function<Object, T> match) {
        try (var stream = events.get().readEvents(conversation.value()).asStream()) {
            return stream.map(event -> match.apply(event.getPayload())).filter(found -> found != null).findFirst();
        }
    }
}
