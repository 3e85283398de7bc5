package com.hirechat.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.MessageSent;

/** The revision-1 to 2 upcaster of {@link MessageSent} on the golden v1 payloads, through Axon's upcasting API. */
class MessageSentUpcasterTest {

    private static final JacksonSerializer EVENTS = JacksonSerializer.builder().objectMapper(DomainJson.mapper()).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<GoldenRecords.Row> ROWS = GoldenRecords.read(GoldenRecords.V1);

    @Test
    void renamesSenderToSentByInItsPlaceAndKeepsEveryOtherMember() throws Exception {
        var messages = ROWS.stream().filter(row -> row.payloadType().equals(MessageSent.class.getName())).toList();
        assertThat(messages).hasSize(6);
        for (var row : messages) {
            var upcast = upcast(row);
            assertThat(upcast).hasSize(1);
            var result = upcast.getFirst();
            assertThat(result.getType().getName()).isEqualTo(MessageSent.class.getName());
            assertThat(result.getType().getRevision()).isEqualTo("2");

            var before = JSON.readTree(row.payload());
            var after = result.getData(JsonNode.class).getData();
            var names = new ArrayList<String>();
            after.fieldNames().forEachRemaining(names::add);
            assertThat(names).containsExactly("conversationId", "messageId", "clientMessageId", "sentBy", "text",
                    "sentAt", "seq");
            assertThat(after.path("sentBy")).isEqualTo(before.path("sender"));
            var unchanged = before.deepCopy();
            ((ObjectNode) unchanged).remove("sender");
            unchanged.fieldNames().forEachRemaining(name ->
                    assertThat(after.path(name)).as(name).isEqualTo(before.path(name)));
            // the metadata (with the chain hash) and the event's identity are not the upcaster's to change
            assertThat(result.getMetaData().getObject().get("chainHash"))
                    .isEqualTo(JSON.readTree(row.metaData()).path("chainHash").asText());
            assertThat(result.getMessageIdentifier()).isEqualTo(row.eventIdentifier());
        }
    }

    @Test
    void leavesEveryOtherTypeAndRevisionTwoAsTheyAre() {
        var others = ROWS.stream().filter(row -> !row.payloadType().equals(MessageSent.class.getName())).toList();
        assertThat(others).hasSize(12);
        for (var row : others) {
            var result = upcast(row).getFirst();
            assertThat(result.getType().getName()).isEqualTo(row.payloadType());
            assertThat(result.getType().getRevision()).isEqualTo(row.payloadRevision());
            assertThat(new String(result.getData(byte[].class).getData(), StandardCharsets.UTF_8))
                    .isEqualTo(row.payload());
        }
        var revisionTwo = "{\"conversationId\":\"c\",\"sentBy\":\"ana\",\"sender\":\"not revision 1's\"}";
        var result = upcast(entry(MessageSent.class.getName(), "2", revisionTwo)).getFirst();
        assertThat(result.getType().getRevision()).isEqualTo("2");
        assertThat(new String(result.getData(byte[].class).getData(), StandardCharsets.UTF_8)).isEqualTo(revisionTwo);
    }

    @Test
    void readingTheSameRevisionOnePayloadTwiceRenamesItOnceEachTime() throws Exception {
        var original = (ObjectNode) JSON.readTree(
                "{\"conversationId\":\"c\",\"sender\":\"ana\",\"text\":\"hi\"}");
        var first = MessageSentUpcaster.revisionTwo(original);
        var second = MessageSentUpcaster.revisionTwo(original);
        assertThat(first).isEqualTo(second).isEqualTo(JSON.readTree("{\"conversationId\":\"c\",\"sentBy\":\"ana\",\"text\":\"hi\"}"));
        // the tree read from the store is not modified: a cached representation upcasts the same again
        assertThat(original.has("sender")).isTrue();
        assertThat(original.has("sentBy")).isFalse();
    }

    private static List<IntermediateEventRepresentation> upcast(GoldenRecords.Row row) {
        return upcast(new GenericDomainEventEntry<>(row.type(), row.aggregateIdentifier(), row.sequenceNumber(),
                row.eventIdentifier(), row.timeStamp(), row.payloadType(), row.payloadRevision(), row.payloadBytes(),
                row.metaData().getBytes(StandardCharsets.UTF_8)));
    }

    private static GenericDomainEventEntry<byte[]> entry(String type, String revision, String payload) {
        return new GenericDomainEventEntry<>("Conversation", "c", 1, "e-1", "2026-12-06T00:00:00Z", type, revision,
                payload.getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static List<IntermediateEventRepresentation> upcast(GenericDomainEventEntry<byte[]> entry) {
        return new MessageSentUpcaster().upcast(Stream.of(new InitialEventRepresentation(entry, EVENTS))).toList();
    }
}
