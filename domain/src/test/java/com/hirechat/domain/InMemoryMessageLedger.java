package com.hirechat.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.hirechat.domain.ConversationEvents.MessageRedacted;

/**
 * The ledger as a list of the conversation's stored events, for the aggregate's rule tests: it knows exactly the
 * events a test says are stored, and counts its lookups (to show which cases need none).
 */
final class InMemoryMessageLedger implements MessageLedger {

    private final List<ConversationEvent> stored = new ArrayList<>();
    private int lookups;

    /** Stores the events, as the event store would have. */
    InMemoryMessageLedger storing(List<? extends ConversationEvent> events) {
        stored.addAll(events);
        return this;
    }

    int lookups() {
        return lookups;
    }

    @Override
    public Optional<MessageAccepted> accepted(ConversationId conversation, UserId sender, ClientMessageId clientMessageId) {
        lookups++;
        return stored.stream()
                .filter(event -> event instanceof MessageSent sent && sent.conversationId().equals(conversation)
                        && sent.sentBy().equals(sender) && sent.clientMessageId().equals(clientMessageId))
                .map(MessageSent.class::cast)
                .map(sent -> new MessageAccepted(sent.messageId(), sent.seq(), sent.sentAt()))
                .findFirst();
    }

    @Override
    public Optional<MessageFacts> facts(ConversationId conversation, MessageId messageId) {
        lookups++;
        boolean redacted = stored.stream().anyMatch(event -> event instanceof MessageRedacted redaction
                && redaction.conversationId().equals(conversation) && redaction.messageId().equals(messageId));
        return stored.stream()
                .filter(event -> event instanceof MessageSent sent && sent.conversationId().equals(conversation)
                        && sent.messageId().equals(messageId))
                .map(MessageSent.class::cast)
                .map(sent -> new MessageFacts(sent.sentBy(), sent.seq(), redacted))
                .findFirst();
    }
}
