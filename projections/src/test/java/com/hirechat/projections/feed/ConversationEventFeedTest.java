package com.hirechat.projections.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/** This node's own commits reach the live listener on the committing thread, before the tail reads them back. */
class ConversationEventFeedTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final ConversationId CONVERSATION = ConversationId.direct(SEEKER, UserId.of("recruiter"));

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final ConversationEventFeed feed = new ConversationEventFeed(store);
    private final List<ConversationEvent> received = new CopyOnWriteArrayList<>();
    private final List<Thread> receivedOn = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        feed.close();
        store.shutDown();
    }

    private static MessageSent message(long seq) {
        var client = ClientMessageId.of("c-" + seq);
        return new MessageSent(CONVERSATION, MessageId.of(CONVERSATION, SEEKER, client), client, SEEKER, "hello " + seq,
                Instant.parse("2026-11-24T10:00:00Z"), seq);
    }

    private void listen() {
        feed.tail(event -> {
            received.add(event);
            receivedOn.add(Thread.currentThread());
        });
    }

    @Test
    void ownCommitsReachTheListenerOnTheCommittingThread() {
        listen();
        feed.committedHere(List.of(GenericEventMessage.asEventMessage(message(1)),
                GenericEventMessage.asEventMessage("not a conversation event"),
                GenericEventMessage.asEventMessage(message(2))));

        // no waiting: nothing was stored, so only the direct path can have delivered these, and before returning
        assertThat(received).extracting(ConversationEvent::seq).containsExactly(1L, 2L);
        assertThat(receivedOn).containsOnly(Thread.currentThread());
    }

    @Test
    void nothingIsHandedOverBeforeTailingOrAfterClosing() {
        feed.committedHere(List.of(GenericEventMessage.asEventMessage(message(1))));
        listen();
        feed.close();
        feed.committedHere(List.of(GenericEventMessage.asEventMessage(message(2))));

        assertThat(received).isEmpty();
    }
}
