package com.hirechat.web.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.helidon.http.Headers;

/** The application behind the Socket.IO endpoint: decides CONNECTs and handles a connected client's events. */
public interface SocketIoHandler {

    /**
     * A CONNECT to the default namespace with its payload ({@code auth}, plus {@code pid} and {@code offset} when the
     * client asks to recover). Throws {@link Refused} to answer CONNECT_ERROR; the connection stays, so the client
     * may try again. Runs on the connection's reader, in order with its other packets.
     *
     * @param handshake the headers of the request that opened the Engine.IO session (Origin, Host)
     */
    Accepted connect(SocketIoConnection connection, JsonNode payload, Headers handshake);

    /**
     * A CONNECT that was accepted. {@code pid} is sent in the CONNECT reply (the client's session id for recovery);
     * {@code afterConnect} runs once the reply is queued, so what it queues (a recovery's replay) follows it.
     */
    record Accepted(String pid, Listener listener, Runnable afterConnect) {
    }

    /** A refused CONNECT: {@code code} is the stable code sent as the CONNECT_ERROR's message and its data.code. */
    final class Refused extends RuntimeException {
        private final String code;

        public Refused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** One connected client; its methods are called one at a time, in the order the client's packets arrive. */
    interface Listener {

        /** An EVENT: its name, its other arguments, and the ack id when the client waits for an answer. */
        void onEvent(String name, ArrayNode args, Long ackId);

        /** An EVENT longer than the endpoint's limit, not parsed: only its ack id is known. */
        void onOversizedEvent(Long ackId);

        /** The client disconnected or the connection was lost or closed; called once. */
        void onDisconnect(String reason);
    }
}
