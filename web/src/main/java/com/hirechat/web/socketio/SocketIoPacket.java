package com.hirechat.web.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * One Socket.IO v5 packet as it travels inside an Engine.IO message: {@code <type>[<namespace>,][<ack id>][<json>]}
 * (https://socket.io/docs/v4/socket-io-protocol/). Binary packets (types 5 and 6) are not accepted.
 */
public record SocketIoPacket(int type, String namespace, Long ackId, String json) {

    public static final int CONNECT = 0;
    public static final int DISCONNECT = 1;
    public static final int EVENT = 2;
    public static final int ACK = 3;
    public static final int CONNECT_ERROR = 4;
    static final int BINARY_EVENT = 5;
    static final int BINARY_ACK = 6;
    private static final int MAX_ACK_ID_DIGITS = 15;
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader UNTRUSTED;

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).build());
        UNTRUSTED = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** A packet that breaks the format: the connection is closed, as the reference server does. */
    public static final class Malformed extends RuntimeException {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads a packet's header (type, namespace, ack id); its JSON stays text until {@link #data()} is asked for, so an
     * oversized event can still be answered on its ack id without parsing it.
     */
    public static SocketIoPacket parse(String text) {
        if (text.isEmpty()) {
            throw new Malformed("empty packet");
        }
        var type = text.charAt(0) - '0';
        if (type < CONNECT || type > BINARY_ACK) {
            throw new Malformed("unknown packet type");
        }
        if (type == BINARY_EVENT || type == BINARY_ACK) {
            throw new Malformed("binary packets are not accepted");
        }
        var at = 1;
        var namespace = "/";
        if (at < text.length() && text.charAt(at) == '/') {
            var comma = text.indexOf(',', at);
            var end = comma < 0 ? text.length() : comma;
            namespace = text.substring(at, end);
            at = comma < 0 ? text.length() : comma + 1;
        }
        var digitsFrom = at;
        while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        Long ackId = null;
        if (at > digitsFrom) {
            if (at - digitsFrom > MAX_ACK_ID_DIGITS) {
                throw new Malformed("ack id too long");
            }
            ackId = Long.parseLong(text.substring(digitsFrom, at));
        }
        var json = text.substring(at);
        return new SocketIoPacket(type, namespace, ackId, json.isEmpty() ? null : json);
    }

    /** The packet's JSON payload, or null when it has none. */
    public JsonNode data() {
        if (json == null) {
            return null;
        }
        try {
            return UNTRUSTED.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Malformed("payload is not JSON");
        }
    }

    /** A value as JSON. */
    static String encode(Object data) {
        try {
            return MAPPER.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a packet could not be rendered", e);
        }
    }

    /** The wire form of a packet for the default namespace. */
    static String encode(int type, Long ackId, Object data) {
        var out = new StringBuilder().append(type);
        if (ackId != null) {
            out.append(ackId);
        }
        if (data != null) {
            out.append(encode(data));
        }
        return out.toString();
    }
}
