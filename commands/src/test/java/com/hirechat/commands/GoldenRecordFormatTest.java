package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Revision;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationEvents;
import com.hirechat.domain.ConversationKind;
import com.hirechat.domain.ConversationStarted;
import com.hirechat.domain.EventHash;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserProfileUpdated;
import com.hirechat.domain.UserRegistered;

/**
 * Today's event records still store and hash exactly as the golden v1 records: a change to a record, its JSON
 * mapping or the chain's hashed content fails here, and needs a new revision and an upcaster (or a new hash scheme),
 * not new golden files.
 */
class GoldenRecordFormatTest {

    private static final List<GoldenRecords.Row> ROWS = GoldenRecords.read(GoldenRecords.V1);
    /** The serializer the application stores events with (AxonWiring). */
    private static final JacksonSerializer EVENTS = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void eachRecordIsStoredUnderItsClassesRevision() throws Exception {
        for (var row : ROWS) {
            var revision = Class.forName(row.payloadType()).getAnnotation(Revision.class);
            assertThat(revision).as(row.payloadType()).isNotNull();
            assertThat(row.payloadRevision()).as(row.payloadType()).isEqualTo(revision.value());
        }
    }

    @Test
    void serializingTodaysRecordsYieldsExactlyTheGoldenPayloadBytes() {
        for (var row : ROWS) {
            var event = deserialize(row);
            var stored = EVENTS.serialize(event, byte[].class);
            assertThat(new String(stored.getData(), StandardCharsets.UTF_8)).as(row.payloadType())
                    .isEqualTo(row.payload());
            assertThat(stored.getType().getName()).isEqualTo(row.payloadType());
            assertThat(stored.getType().getRevision()).isEqualTo(row.payloadRevision());
        }
    }

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

    private static Object deserialize(GoldenRecords.Row row) {
        return EVENTS.deserialize(new SimpleSerializedObject<>(row.payloadBytes(), byte[].class, row.payloadType(),
                row.payloadRevision()));
    }

}
