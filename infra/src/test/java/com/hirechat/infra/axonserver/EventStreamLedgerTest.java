package com.hirechat.infra.axonserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvents.MessageRedacted;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageFacts;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;
import com.hirechat.infra.axonserver.EventStreamLedger;

/** The Axon Server mode's ledger answers from the conversation's own events, as stored in an Axon event store. */
class EventStreamLedgerTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    private static final Instant AT = Instant.parse("2026-12-06T10:00:00.123456Z");

    @Test
    void retriesAndFactsComeFromTheStoredEvents() {
        var store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
        var first = sent("c-1", SEEKER, 1);
        var second = sent("c-2", RECRUITER, 2);
        var redaction = new MessageRedacted(DIRECT, first.messageId(), 1, SEEKER, false, AT, 3);
        var events = List.of(new ConversationStarted(DIRECT, ConversationKind.DIRECT, SEEKER,
                List.of(RECRUITER, SEEKER), null, AT, 0), first, second, redaction);
        store.publish(events.stream().map(event -> new GenericDomainEventMessage<>("Conversation", DIRECT.value(),
                events.indexOf(event), event)).toList());
        var ledger = new EventStreamLedger(() -> store);

        assertThat(ledger.accepted(DIRECT, SEEKER, ClientMessageId.of("c-1")))
                .contains(new MessageAccepted(first.messageId(), 1, AT));
        // the same client id is another sender's own message, and an unknown one is no message at all
        assertThat(ledger.accepted(DIRECT, RECRUITER, ClientMessageId.of("c-1"))).isEmpty();
        assertThat(ledger.facts(DIRECT, first.messageId())).contains(new MessageFacts(SEEKER, 1, true));
        assertThat(ledger.facts(DIRECT, second.messageId())).contains(new MessageFacts(RECRUITER, 2, false));
        assertThat(ledger.facts(DIRECT, MessageId.of(DIRECT, SEEKER, ClientMessageId.of("never")))).isEmpty();
        store.shutDown();
    }

    private static MessageSent sent(String clientId, UserId sender, long seq) {
        var client = ClientMessageId.of(clientId);
        return new MessageSent(DIRECT, MessageId.of(DIRECT, sender, client), client, sender, "text", AT, seq);
    }
}
