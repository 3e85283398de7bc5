package com.hirechat.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.MessageAccepted;
import com.hirechat.domain.MessageSent;

/** Every frame the server sends over the WebSocket; the JSON carries its kind in {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
sealed interface ServerFrame {

    /** A message in a conversation the client subscribed to. */
    @JsonTypeName("message")
    record Message(String conversationId, long seq, String messageId, String clientMessageId, String senderId,
                   String text, Instant sentAt) implements ServerFrame {

        static Message of(MessageSent event) {
            return new Message(event.conversationId().value(), event.seq(), event.messageId().value(),
                    event.clientMessageId().value(), event.sender().value(), event.text(), event.sentAt());
        }
    }

    /** The client's message is durably stored. */
    @JsonTypeName("ack")
    record Ack(String conversationId, String clientMessageId, String messageId, long seq, Instant sentAt)
            implements ServerFrame {

        static Ack of(String conversationId, String clientMessageId, MessageAccepted accepted) {
            return new Ack(conversationId, clientMessageId, accepted.messageId().value(), accepted.seq(),
                    accepted.sentAt());
        }
    }

    /** A subscription is in place; events after {@code afterSeq} follow (live ones only when it is null). */
    @JsonTypeName("subscribed")
    record Subscribed(String conversationId, Long afterSeq) implements ServerFrame {
    }

    @JsonTypeName("unsubscribed")
    record Unsubscribed(String conversationId) implements ServerFrame {
    }

    /** A refused frame; {@code clientMessageId} and {@code conversationId} say which request when known. */
    @JsonTypeName("error")
    record Error(String code, String message, String clientMessageId, String conversationId) implements ServerFrame {
    }

    @JsonTypeName("pong")
    record Pong() implements ServerFrame {
    }

    /** The frame a stored event becomes for subscribers, or null when it has none (seq 0, conversation start). */
    static ServerFrame of(ConversationEvent event) {
        return switch (event) {
            case MessageSent sent -> Message.of(sent);
            default -> null;
        };
    }
}
