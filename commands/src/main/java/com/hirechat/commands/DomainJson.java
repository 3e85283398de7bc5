package com.hirechat.commands;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hirechat.commands.writepath.ReadableSnapshotFilter;
import com.hirechat.domain.Attachment;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageSent;
import com.hirechat.domain.UserId;

/** The one JSON shape of domain types, for stored events and the wire alike: ids as plain strings, ISO-8601 instants. */
public final class DomainJson {

    private DomainJson() {
    }

    /** A mapper for records (events, commands, frames). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .addMixIn(MessageSent.class, OptionalAttachments.class)
                .registerModule(new JavaTimeModule())
                .registerModule(identifiers())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * A mapper for aggregate snapshots, whose state lives in private fields without accessors. It reads strictly: a
     * snapshot that does not hold exactly today's fields, with values of their types, fails to read (and is then
     * discarded for the events, {@link ReadableSnapshotFilter}) rather than leaving a field at its initial value.
     */
    public static ObjectMapper snapshotMapper() {
        var strictness = new SimpleModule("hirechat-exact-snapshots").setDeserializerModifier(ExactFieldsDeserializer.modifier());
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(identifiers())
                .addModule(strictness)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                // "5" is not a number, nor 1 a boolean: a value of another type means another shape
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .visibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
                .build();
    }

    /**
     * {@code attachments} is written only when there are some: a message without attachments stores (and so hashes)
     * the bytes it stored before the member existed (the golden records pin them).
     */
    private abstract static class OptionalAttachments {
        @JsonInclude(JsonInclude.Include.NON_EMPTY)
        abstract List<Attachment> attachments();
    }

    private static SimpleModule identifiers() {
        var module = new SimpleModule("hirechat-identifiers");
        asString(module, UserId.class, UserId::new);
        asString(module, ConversationId.class, ConversationId::new);
        asString(module, MessageId.class, MessageId::new);
        asString(module, ClientMessageId.class, ClientMessageId::new);
        return module;
    }

    private static <T> void asString(SimpleModule module, Class<T> type, Function<String, T> parse) {
        module.addSerializer(type, ToStringSerializer.instance);
        module.addDeserializer(type, new FromStringDeserializer<>(type) {
            @Override
            protected T _deserialize(String value, DeserializationContext context) {
                return parse.apply(value);
            }
        });
    }
}
