package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.Conversation;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.SendMessage;
import com.hirechat.domain.StartConversation;
import com.hirechat.domain.UserId;

/** The aggregate chains each event it records by scheme 2, over the bytes the event store will hold. */
class ConversationChainTest {

    private static final UserId ANA = UserId.of("ana");
    private static final UserId BEN = UserId.of("ben");
    private static final ConversationId DIRECT = ConversationId.direct(ANA, BEN);

    private final JacksonSerializer serializer = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
    private AggregateTestFixture<Conversation> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        fixture.registerInjectableResource(new CanonicalEventChain(serializer));
        fixture.registerInjectableResource(new NoOlderMessages());
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    @Test
    void aRecordedEventCarriesSchemeTwoAndTheHashOfItsStoredBytes() {
        var recorded = new ArrayList<EventMessage<?>>();
        fixture.givenNoPriorActivity()
                .when(StartConversation.direct(ANA, BEN))
                .expectEventsMatching(capture(recorded));

        var started = recorded.getFirst();
        var stored = serializer.serialize(started.getPayload(), byte[].class);
        var canonical = CanonicalEventChain.canonical(DIRECT.value(), 0, stored.getType().getName(),
                stored.getType().getRevision(), stored.getData());
        assertThat(started.getMetaData())
                .containsEntry(EventHash.SCHEME_KEY, "2")
                .containsEntry(EventHash.KEY, CanonicalEventChain.hash(EventHash.GENESIS, canonical));
        // the envelope's members in JCS order, the type and revision as the store writes them
        assertThat(canonical).startsWith("{\"conversationId\":\"" + DIRECT.value() + "\",\"payload\":{")
                .endsWith(",\"revision\":\"1\",\"seq\":0,\"type\":\"com.hirechat.domain.ConversationStarted\"}");
        assertThat(started.getMetaData().get(EventHash.KEY))
                .isNotEqualTo(EventHash.schemeOne(EventHash.GENESIS, (ConversationStarted) started.getPayload()));
    }

    @Test
    void theHashCoversTheStoredJsonNotTheRecordText() {
        var recorded = new ArrayList<EventMessage<?>>();
        fixture.given(started())
                .when(new SendMessage(DIRECT, ANA, ClientMessageId.of("c1"), "hello"))
                .expectEventsMatching(capture(recorded));

        var sent = (MessageSent) recorded.getFirst().getPayload();
        // the same stored content written by hand: other member order, other spacing, escapes JCS undoes
        var handWritten = ("{ \"seq\": 1, \"text\": \"hel\\u006co\", \"sentAt\": \"" + sent.sentAt() + "\","
                + " \"sentBy\": \"ana\", \"clientMessageId\": \"c1\", \"messageId\": \"" + sent.messageId().value()
                + "\", \"conversationId\": \"" + DIRECT.value() + "\" }").getBytes(StandardCharsets.UTF_8);
        var canonical = CanonicalEventChain.canonical(DIRECT.value(), 1, MessageSent.class.getName(), "2", handWritten);
        // the given event came without a hash: the chain continues from genesis
        assertThat(recorded.getFirst().getMetaData().get(EventHash.KEY))
                .isEqualTo(CanonicalEventChain.hash(EventHash.GENESIS, canonical));
    }

    @Test
    void sourcingTakesTheStoredHashAndTheNextEventChainsToItEvenFromSchemeOne() {
        var storedSchemeOneHash = "ab".repeat(32);
        var recorded = new ArrayList<EventMessage<?>>();
        fixture.given(List.of(new GenericDomainEventMessage<>("Conversation", DIRECT.value(), 0, started(),
                        MetaData.with(EventHash.KEY, storedSchemeOneHash))))
                .when(new SendMessage(DIRECT, ANA, ClientMessageId.of("c1"), "hello"))
                .expectEventsMatching(capture(recorded));

        var sent = recorded.getFirst();
        var stored = serializer.serialize(sent.getPayload(), byte[].class);
        assertThat(sent.getMetaData().get(EventHash.KEY)).isEqualTo(CanonicalEventChain.hash(storedSchemeOneHash,
                CanonicalEventChain.canonical(DIRECT.value(), 1, MessageSent.class.getName(), "2", stored.getData())));
    }

    @Test
    void theNextEventChainsToTheLastStoredLinkNotToARecomputedOne() {
        var reply = new ArrayList<EventMessage<?>>();
        var client = ClientMessageId.of("c1");
        var sent = new MessageSent(DIRECT, MessageId.of(DIRECT, ANA, client), client, ANA, "hi", now, 1);
        var link = "cd".repeat(32);
        fixture.given(List.of(started(), new GenericDomainEventMessage<>("Conversation", DIRECT.value(), 1, sent,
                        MetaData.with(EventHash.KEY, link).and(EventHash.SCHEME_KEY, "2"))))
                .when(new SendMessage(DIRECT, BEN, ClientMessageId.of("c2"), "yes"))
                .expectEventsMatching(capture(reply));

        var stored = serializer.serialize(reply.getFirst().getPayload(), byte[].class);
        assertThat(reply.getFirst().getMetaData().get(EventHash.KEY)).isEqualTo(CanonicalEventChain.hash(link,
                CanonicalEventChain.canonical(DIRECT.value(), 2, MessageSent.class.getName(), "2", stored.getData())));
    }

    private ConversationStarted started() {
        return new ConversationStarted(DIRECT, ConversationKind.DIRECT, ANA, List.of(ANA, BEN), null, now, 0);
    }

    /** Keeps the events the command recorded, and expects exactly one. */
    private static Matcher<List<EventMessage<?>>> capture(List<EventMessage<?>> into) {
        return Matchers.<List<EventMessage<?>>>predicate(events -> into.addAll(events) && events.size() == 1);
    }
}
