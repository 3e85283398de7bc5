package com.hirechat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.SocketContext;
import io.helidon.websocket.WsSession;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;
import com.hirechat.projections.feed.ConversationEventFeed;

/** When a subscription counts as in place, against Axon's own event store (in memory). */
class RoomHubTest {

    private static final ConversationId CONVERSATION = ConversationId.of(UUID.randomUUID().toString());
    private static final UserId SENDER = UserId.of("seeker-1");

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine()).build();
    private final ConversationEventFeed feed = new ConversationEventFeed(store);
    private final RoomHub hub = new RoomHub(feed);
    private final RecordingSession session = new RecordingSession();
    private final Outbox outbox = new Outbox(session, 64, () -> { });

    @AfterEach
    void stop() {
        feed.close();
        store.shutDown();
    }

    @Test
    void withoutResumePointEverythingCommittedOnceConfirmedIsDelivered() {
        hub.start();
        commit(message(1), message(2));

        // a client that sends the moment it reads the confirmation: its message commits right then
        hub.subscribe(CONVERSATION, UserId.of("recruiter-1"), outbox, OptionalLong.empty(),
                () -> {
                    outbox.send(new ServerFrame.Subscribed(CONVERSATION.value(), null));
                    commit(message(3));
                },
                ended -> { });
        commit(message(4));

        await().atMost(Duration.ofSeconds(10)).until(() -> session.texts.size() == 3);
        assertThat(session.texts.get(0)).contains("\"type\":\"subscribed\"");
        assertThat(session.texts.subList(1, 3)).allSatisfy(text -> assertThat(text).contains("\"type\":\"message\""))
                .satisfiesExactly(text -> assertThat(text).contains("\"seq\":3"),
                        text -> assertThat(text).contains("\"seq\":4"));
    }

    @Test
    void withResumePointTheConfirmationPrecedesTheReplay() {
        hub.start();
        commit(message(1), message(2));

        hub.subscribe(CONVERSATION, UserId.of("recruiter-1"), outbox, OptionalLong.of(0),
                () -> outbox.send(new ServerFrame.Subscribed(CONVERSATION.value(), 0L)), ended -> { });

        await().atMost(Duration.ofSeconds(10)).until(() -> session.texts.size() == 3);
        assertThat(session.texts).satisfiesExactly(
                text -> assertThat(text).contains("\"type\":\"subscribed\""),
                text -> assertThat(text).contains("\"seq\":1"),
                text -> assertThat(text).contains("\"seq\":2"));
    }

    @Test
    void aSubscribeThatFailsLeavesNothingSubscribed() {
        hub.start();
        commit(message(1));

        assertThatThrownBy(() -> hub.subscribe(CONVERSATION, UserId.of("recruiter-1"), outbox, OptionalLong.empty(),
                () -> {
                    throw new IllegalStateException("the confirmation could not be sent");
                },
                ended -> { }))
                .hasMessageContaining("confirmation");

        assertThat(hub.subscriptionCount()).isZero();
        commit(message(2));
        assertThat(session.texts).isEmpty();
    }

    private static MessageSent message(long seq) {
        var client = ClientMessageId.of("m-" + seq);
        return new MessageSent(CONVERSATION, MessageId.of(CONVERSATION, SENDER, client), client, SENDER, "text " + seq,
                Instant.parse("2026-11-24T10:00:00Z").plusSeconds(seq), seq);
    }

    /** Stores the events as one commit and hands them to the feed, as the command side does on this node. */
    private void commit(ConversationEvent... events) {
        var messages = Arrays.stream(events)
                .map(event -> new GenericDomainEventMessage<>("Conversation", CONVERSATION.value(), event.seq(),
                        event))
                .toList();
        store.publish(messages);
        feed.committedHere(messages);
    }

    /** The server's end of a WebSocket, keeping what is sent through it. */
    private static final class RecordingSession implements WsSession {

        final List<String> texts = new CopyOnWriteArrayList<>();

        @Override
        public WsSession send(String text, boolean last) {
            texts.add(text);
            return this;
        }

        @Override
        public WsSession send(BufferData bufferData, boolean last) {
            throw new UnsupportedOperationException("the chat sends text frames only");
        }

        @Override
        public WsSession ping(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession pong(BufferData bufferData) {
            return this;
        }

        @Override
        public WsSession close(int code, String reason) {
            return this;
        }

        @Override
        public WsSession terminate() {
            return this;
        }

        @Override
        public SocketContext socketContext() {
            throw new UnsupportedOperationException("not needed here");
        }
    }
}
