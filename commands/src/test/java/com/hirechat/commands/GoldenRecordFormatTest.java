package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Revision;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventsourcing.EventStreamUtils;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserProfileUpdated;
import com.hirechat.domain.UserId;
import com.hirechat.domain.UserRegistered;

/**
 * Today's event records still store and hash exactly as the golden v1 records: a change to a record, its JSON
 * mapping or the chain's hashed content fails here, and needs a new revision and an upcaster (or a new hash scheme),
 * not new golden files. {@link MessageSent} is the one changed since (revision 2): its golden rows are read through
 * the application's upcaster, as the event store reads them, and today's form of them is pinned too.
 */
class GoldenRecordFormatTest {

    private static final List<GoldenRecords.Row> ROWS = GoldenRecords.read(GoldenRecords.V1);
    private static final List<GoldenRecords.Row> V2_ROWS = GoldenRecords.read(GoldenRecords.V2);
    /** The serializer the application stores events with (AxonWiring). */
    private static final JacksonSerializer EVENTS = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The upcasters the application registers (AxonWiring). */
    private static final EventUpcasterChain UPCASTERS = new EventUpcasterChain(new MessageSentUpcaster());

    @Test
    void theGoldenRecordsHoldEveryEventTypeInEachOfItsForms() {
        var types = ROWS.stream().map(GoldenRecords.Row::payloadType).collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrderElementsOf(Set.of(ConversationStarted.class, MessageSent.class,
                        ConversationEvents.JobLinked.class, ConversationEvents.ParticipantAdded.class,
                        ConversationEvents.ParticipantRemoved.class, ConversationEvents.MessageEdited.class,
                        ConversationEvents.MessageRedacted.class, ConversationEvents.MessagesRead.class,
                        UserRegistered.class, UserProfileUpdated.class).stream().map(Class::getName).toList());
        // the permitted conversation events are all of them: a new event type needs golden records of its own
        assertThat(ConversationEvent.class.getPermittedSubclasses()).hasSize(8);
        var events = ROWS.stream().map(GoldenRecordFormatTest::deserialize).toList();
        assertThat(events).filteredOn(ConversationStarted.class::isInstance).map(e -> ((ConversationStarted) e).kind())
                .containsExactlyInAnyOrder(ConversationKind.DIRECT, ConversationKind.GROUP);
        assertThat(events).filteredOn(ConversationEvents.MessageRedacted.class::isInstance)
                .map(e -> ((ConversationEvents.MessageRedacted) e).byAdmin()).containsExactlyInAnyOrder(true, false);
    }

    @Test
    void eachUnchangedRecordIsStoredUnderItsClassesRevision() throws Exception {
        for (var row : ROWS) {
            var revision = Class.forName(row.payloadType()).getAnnotation(Revision.class);
            assertThat(revision).as(row.payloadType()).isNotNull();
            // MessageSent alone left revision 1: a record changed without a new revision fails here
            assertThat(row.payloadRevision()).as(row.payloadType())
                    .isEqualTo(isMessageSent(row) ? "1" : revision.value());
        }
        assertThat(MessageSent.class.getAnnotation(Revision.class).value()).isEqualTo("2");
    }

    @Test
    void serializingTodaysRecordsYieldsExactlyTheGoldenPayloadBytes() {
        for (var row : ROWS.stream().filter(row -> !isMessageSent(row)).toList()) {
            var event = deserialize(row);
            var stored = EVENTS.serialize(event, byte[].class);
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).as(row.payloadType())
                    .isEqualTo(row.payload());
            assertThat(stored.getType().getName()).isEqualTo(row.payloadType());
            assertThat(stored.getType().getRevision()).isEqualTo(row.payloadRevision());
        }
    }

    @Test
    void goldenRevisionOneMessagesUpcastToExactlyTodaysRecordWhichStoresAsRevisionTwo() throws Exception {
        var messages = ROWS.stream().filter(GoldenRecordFormatTest::isMessageSent).toList();
        assertThat(messages).hasSize(6);
        for (var row : messages) {
            var v1 = JSON.readTree(row.payload());
            var client = ClientMessageId.of(v1.path("clientMessageId").asText());
            // today's record built from the stored revision-1 members by hand, sender as sentBy
            var expected = new MessageSent(ConversationId.of(v1.path("conversationId").asText()),
                    MessageId.of(v1.path("messageId").asText()), client, UserId.of(v1.path("sender").asText()),
                    v1.path("text").asText(), Instant.parse(v1.path("sentAt").asText()), v1.path("seq").asLong());
            assertThat(deserialize(row)).as("seq " + row.sequenceNumber()).isEqualTo(expected);

            var stored = EVENTS.serialize(expected, byte[].class);
            assertThat(stored.getType().getName()).isEqualTo(MessageSent.class.getName());
            assertThat(stored.getType().getRevision()).isEqualTo("2");
            // revision 2 is revision 1 with the one member renamed in its place, every other byte the same
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8))
                    .isEqualTo(row.payload().replace("\"sender\":", "\"sentBy\":"))
                    .doesNotContain("\"sender\"");
        }
    }

    /** Scheme 1 over the upcast events: revision-2 MessageSents are hashed in their frozen revision-1 text. */
    @Test
    void hashingTheGoldenEventsYieldsTheirGoldenChainHashes() throws Exception {
        var previous = new HashMap<String, String>();
        int chained = 0;
        for (var row : ROWS) {
            var hash = JSON.readTree(row.metaData()).path(EventHash.KEY);
            if (!(deserialize(row) instanceof ConversationEvent event)) {
                assertThat(hash.isMissingNode()).as("only conversations are chained").isTrue();
                continue;
            }
            var expected = EventHash.schemeOne(previous.getOrDefault(row.aggregateIdentifier(), EventHash.GENESIS), event);
            assertThat(hash.asText()).as(row.aggregateIdentifier() + " seq " + row.sequenceNumber()).isEqualTo(expected);
            previous.put(row.aggregateIdentifier(), expected);
            chained++;
        }
        assertThat(chained).isEqualTo(15);
        assertThat(previous).hasSize(2);
    }

    @Test
    void theV2RecordsHoldEveryEventTypeEachAtItsClassesRevision() throws Exception {
        assertThat(V2_ROWS.stream().map(GoldenRecords.Row::payloadType).toList())
                .containsExactlyElementsOf(ROWS.stream().map(GoldenRecords.Row::payloadType).toList());
        for (var row : V2_ROWS) {
            assertThat(row.payloadRevision()).as(row.payloadType())
                    .isEqualTo(Class.forName(row.payloadType()).getAnnotation(Revision.class).value());
        }
        assertThat(V2_ROWS).filteredOn(GoldenRecordFormatTest::isMessageSent).hasSize(6)
                .allSatisfy(row -> assertThat(row.payload()).contains("\"sentBy\":").doesNotContain("\"sender\""));
    }

    @Test
    void serializingTodaysRecordsYieldsExactlyTheV2PayloadBytes() {
        for (var row : V2_ROWS) {
            var stored = EVENTS.serialize(deserialize(row), byte[].class);
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).as(row.payloadType())
                    .isEqualTo(row.payload());
            assertThat(stored.getType().getName()).isEqualTo(row.payloadType());
            assertThat(stored.getType().getRevision()).isEqualTo(row.payloadRevision());
        }
    }

    /** Scheme 2 over the stored columns, not over any reading of them. */
    @Test
    void theV2ChainHashesAreSchemeTwoOverTheStoredRows() throws Exception {
        var previous = new HashMap<String, String>();
        int chained = 0;
        for (var row : V2_ROWS) {
            var meta = JSON.readTree(row.metaData());
            if (!(deserialize(row) instanceof ConversationEvent)) {
                assertThat(meta.has(EventHash.KEY)).as("only conversations are chained").isFalse();
                continue;
            }
            assertThat(meta.path(EventHash.SCHEME_KEY).asText()).isEqualTo(CanonicalEventChain.SCHEME);
            var expected = CanonicalEventChain.hash(previous.getOrDefault(row.aggregateIdentifier(), EventHash.GENESIS),
                    CanonicalEventChain.canonical(row.aggregateIdentifier(), row.sequenceNumber(), row.payloadType(),
                            row.payloadRevision(), row.payloadBytes()));
            assertThat(meta.path(EventHash.KEY).asText()).as(row.aggregateIdentifier() + " seq " + row.sequenceNumber())
                    .isEqualTo(expected);
            previous.put(row.aggregateIdentifier(), expected);
            chained++;
        }
        assertThat(chained).isEqualTo(15);
    }

    /** The row's payload as the event store reads it: through the upcasters, then deserialized. */
    private static Object deserialize(GoldenRecords.Row row) {
        var entry = new GenericDomainEventEntry<>(row.type(), row.aggregateIdentifier(), row.sequenceNumber(),
                row.eventIdentifier(), row.timeStamp(), row.payloadType(), row.payloadRevision(), row.payloadBytes(),
                row.metaData().getBytes(StandardCharsets.UTF_8));
        return EventStreamUtils.upcastAndDeserializeDomainEvents(Stream.of(entry), EVENTS, UPCASTERS).next()
                .getPayload();
    }

    private static boolean isMessageSent(GoldenRecords.Row row) {
        return row.payloadType().equals(MessageSent.class.getName());
    }

}
