package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A message's server-side identity, derived from its conversation and the client's message id. */
public record MessageId(String value) {

    public MessageId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("message id must not be blank");
        }
    }

    /** Deterministic so that a retried send names the same message as the original. */
    public static MessageId of(ConversationId conversation, ClientMessageId clientMessageId) {
        var name = "message\n" + conversation.value() + "\n" + clientMessageId.value();
        return new MessageId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
