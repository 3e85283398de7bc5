package com.hirechat.commands;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.util.TokenBuffer;

/**
 * Reads a field-based object (an aggregate's snapshot) only when its JSON names exactly the fields it has, none of
 * them null: Jackson rejects unknown names by itself, but leaves a field it does not find at its initial value, which
 * for an aggregate is a half-filled state (an empty idempotency map, a genesis chain hash).
 */
final class ExactFieldsDeserializer extends DelegatingDeserializer {

    private final Class<?> type;
    private final Set<String> fields;

    private ExactFieldsDeserializer(JsonDeserializer<?> delegate, Class<?> type, Set<String> fields) {
        super(delegate);
        this.type = type;
        this.fields = fields;
    }

    /** Applies the check to every class read through fields; records are read through their constructor, which Jackson checks. */
    static BeanDeserializerModifier modifier() {
        return new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription bean,
                                                          JsonDeserializer<?> deserializer) {
                var type = bean.getBeanClass();
                if (type.isRecord() || type.isEnum() || type.getName().startsWith("java.")) {
                    return deserializer;
                }
                var fields = new TreeSet<String>();
                bean.findProperties().stream().filter(BeanPropertyDefinition::hasField)
                        .forEach(property -> fields.add(property.getName()));
                return fields.isEmpty() ? deserializer : new ExactFieldsDeserializer(deserializer, type, fields);
            }
        };
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
        return new ExactFieldsDeserializer(delegate, type, fields);
    }

    @Override
    public Object deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        // buffered once, so the names can be checked before the fields are filled
        var buffer = context.bufferAsCopyOfValue(parser);
        var nulls = new TreeSet<String>();
        var present = namesOf(buffer, nulls);
        if (!nulls.isEmpty()) {
            // a started aggregate keeps no null field (its last hash, its maps): a null one would fail the commands
            throw MismatchedInputException.from(parser, type, "%s read with null field(s) %s"
                    .formatted(type.getSimpleName(), nulls));
        }
        if (!present.equals(fields)) {
            var missing = new TreeSet<>(fields);
            missing.removeAll(present);
            var unknown = new TreeSet<>(present);
            unknown.removeAll(fields);
            throw MismatchedInputException.from(parser, type, "%s read with missing field(s) %s, unknown field(s) %s"
                    .formatted(type.getSimpleName(), missing, unknown));
        }
        try (var replay = buffer.asParserOnFirstToken()) {
            return getDelegatee().deserialize(replay, context);
        }
    }

    /** The top-level names of the buffered object; those whose value is null also go to {@code nulls}. */
    private static Set<String> namesOf(TokenBuffer buffer, Set<String> nulls) throws IOException {
        var names = new TreeSet<String>();
        try (var tokens = buffer.asParserOnFirstToken()) {
            if (tokens.currentToken() != JsonToken.START_OBJECT) {
                return names; // not an object at all: the delegate reports the mismatch
            }
            while (tokens.nextToken() == JsonToken.FIELD_NAME) {
                var name = tokens.currentName();
                names.add(name);
                if (tokens.nextToken() == JsonToken.VALUE_NULL) {
                    nulls.add(name);
                }
                tokens.skipChildren();
            }
        }
        return names;
    }
}
