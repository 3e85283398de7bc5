package com.hirechat.projections;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.hirechat.commands.CanonicalEventChain;
import com.hirechat.commands.DomainJson;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ChainVerification.SchemeRange;
import com.hirechat.projections.feed.ConversationEventFeed;

/** Each link is checked by the scheme stored with it, and the report says which seqs each scheme covers. */
class ChainVerificationTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final ConversationId CONVERSATION = ConversationId.direct(SEEKER, UserId.of("recruiter"));
    private static final CanonicalEventChain SCHEME_TWO = new CanonicalEventChain(
            JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build());

    private final EmbeddedEventStore store = EmbeddedEventStore.builder()
            .storageEngine(new InMemoryEventStorageEngine())
            .build();
    private final ConversationEventFeed feed = new ConversationEventFeed(store);

    @AfterEach
    void stop() {
        feed.close();
        store.shutDown();
    }

    @Test
    void schemeOneLinksThenSchemeTwoLinksVerifyAsTwoRanges() {
        var previous = append(EventHash.GENESIS, 0, null);
        previous = append(previous, 1, null);
        previous = append(previous, 2, "2");
        append(previous, 3, "2");

        var result = feed.verify(CONVERSATION);
        assertThat(result.intact()).isTrue();
        assertThat(result.checked()).isEqualTo(4);
        assertThat(result.schemes()).containsExactly(new SchemeRange(1, 0, 1), new SchemeRange(2, 2, 3));
    }

    @Test
    void aLinkChainedToAnythingButThePreviousHashIsBroken() {
        var previous = append(EventHash.GENESIS, 0, "2");
        append(previous, 1, "2");
        append("0".repeat(64), 2, "2");

        var result = feed.verify(CONVERSATION);
        assertThat(result.firstBrokenSeq()).isEqualTo(2);
        assertThat(result.checked()).isEqualTo(2);
        assertThat(result.schemes()).containsExactly(new SchemeRange(2, 0, 1));
    }

    @Test
    void aSchemeNobodyDefinedIsABrokenLink() {
        var previous = append(EventHash.GENESIS, 0, "2");
        var event = message(1);
        store.publish(new GenericDomainEventMessage<>("Conversation", CONVERSATION.value(), 1, event,
                MetaData.with(EventHash.KEY, SCHEME_TWO.next(previous, event)).and(EventHash.SCHEME_KEY, "9")));

        assertThat(feed.verify(CONVERSATION).firstBrokenSeq()).isEqualTo(1);
    }

    /** Stores message {@code seq} linked to {@code previous} by the given scheme (null: scheme 1, as stored then). */
    private String append(String previous, long seq, String scheme) {
        var event = message(seq);
        var hash = scheme == null ? EventHash.schemeOne(previous, event) : SCHEME_TWO.next(previous, event);
        var metaData = scheme == null ? MetaData.with(EventHash.KEY, hash)
                : MetaData.with(EventHash.KEY, hash).and(EventHash.SCHEME_KEY, scheme);
        store.publish(List.of(new GenericDomainEventMessage<>("Conversation", CONVERSATION.value(), seq, event,
                metaData)));
        return hash;
    }

    private static MessageSent message(long seq) {
        var client = ClientMessageId.of("c-" + seq);
        return new MessageSent(CONVERSATION, MessageId.of(CONVERSATION, SEEKER, client), client, SEEKER,
                "hello " + seq, Instant.parse("2026-11-24T10:00:00Z"), seq);
    }
}
