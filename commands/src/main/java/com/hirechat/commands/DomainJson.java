package com.hirechat.commands;

import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.UserId;

/** The one JSON shape of domain types, for stored events and the wire alike: ids as plain strings, ISO-8601 instants. */
public final class DomainJson {

    private DomainJson() {
    }

    /** A mapper for records (events, commands, frames). */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .registerModule(identifiers())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** A mapper for aggregate snapshots, whose state lives in private fields without accessors. */
    public static ObjectMapper snapshotMapper() {
        return mapper()
                .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY);
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
