package com.hirechat.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.commands.DomainJson;
import com.hirechat.domain.DomainRuleViolation;

/** Reading untrusted JSON objects field by field with precise errors, and writing replies. */
final class Json {

    /** Deeper than any valid request or frame; stops nesting attacks early. */
    static final int MAX_NESTING_DEPTH = 16;

    static final ObjectMapper MAPPER = DomainJson.mapper();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(32)
                .build());
    }

    /**
     * One frame or body is one JSON value: without this Jackson stops after the first value and ignores the rest,
     * so {@code {"type":"ping"}{"type":"send",…}} or a value followed by garbage would pass as valid.
     */
    private static final ObjectReader UNTRUSTED = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    static ObjectNode parseObject(String text) {
        JsonNode node;
        try {
            node = UNTRUSTED.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("bad_json", "not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("bad_json", "expected a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Strict UTF-8: malformed bytes are refused rather than silently replaced. */
    static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest("invalid_utf8", "the body is not valid UTF-8");
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    static String requiredText(JsonNode object, String field) {
        return optionalText(object, field)
                .orElseThrow(() -> ApiException.badRequest("missing_field", "'" + field + "' is required"));
    }

    static Optional<String> optionalText(JsonNode object, String field) {
        var value = object.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("invalid_field", "'" + field + "' must be a string");
        }
        return Optional.of(value.textValue());
    }

    static OptionalLong optionalNonNegativeLong(JsonNode object, String field) {
        var value = object.get(field);
        if (value == null || value.isNull()) {
            return OptionalLong.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw ApiException.badRequest("invalid_field", "'" + field + "' must be a non-negative integer");
        }
        return OptionalLong.of(value.longValue());
    }

    /** A domain value parsed from a string field, with the domain's own error code when it is malformed. */
    static <T> T requiredValue(JsonNode object, String field, Function<String, T> parse) {
        var text = requiredText(object, field);
        try {
            return parse.apply(text);
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), "'" + field + "': " + e.getMessage());
        }
    }
}
