package com.hirechat.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;

import com.hirechat.domain.MessageSent;

/**
 * Reads a stored revision-1 {@link MessageSent} as revision 2: its {@code sender} member becomes {@code sentBy}, in
 * the same place, every other member unchanged. Only the reading changes; the stored row keeps its bytes, type and
 * revision, so its chain link verifies as it was written.
 */
public final class MessageSentUpcaster extends SingleEventUpcaster {

    private static final String TYPE = MessageSent.class.getName();
    private static final SimpleSerializedType REVISION_1 = new SimpleSerializedType(TYPE, "1");
    private static final SimpleSerializedType REVISION_2 = new SimpleSerializedType(TYPE, "2");

    @Override
    protected boolean canUpcast(IntermediateEventRepresentation representation) {
        return REVISION_1.equals(representation.getType());
    }

    @Override
    protected IntermediateEventRepresentation doUpcast(IntermediateEventRepresentation representation) {
        return representation.upcastPayload(REVISION_2, JsonNode.class, MessageSentUpcaster::revisionTwo);
    }

    /** The revision-2 payload of a revision-1 one; a copy, so a payload read twice is never renamed twice. */
    static JsonNode revisionTwo(JsonNode revisionOne) {
        if (!(revisionOne instanceof ObjectNode payload) || !payload.has("sender")) {
            // not the shape revision 1 stored: passed on as it is rather than guessed at
            return revisionOne;
        }
        var renamed = payload.objectNode();
        // rebuilt member by member so that sentBy keeps sender's place (the record's component order)
        payload.fields().forEachRemaining(member -> renamed.set(
                member.getKey().equals("sender") ? "sentBy" : member.getKey(), member.getValue()));
        return renamed;
    }
}
