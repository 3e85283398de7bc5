package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A message's server-side identity, derived from its conversation and the client's message id. */
public record MessageId(String value) {

    public MessageId {
        if (value == null || value.length() != 36 || !isUuid(value)) {
            throw new DomainRuleViolation(DomainError.INVALID_MESSAGE_ID, "a message id is a UUID");
        }
    }

    public static MessageId of(String value) {
        return new MessageId(value);
    }

    private static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Deterministic so that a retried send names the same message as the original. */
    public static MessageId of(ConversationId conversation, ClientMessageId clientMessageId) {
        var name = "message\n" + conversation.value() + "\n" + clientMessageId.value();
        return new MessageId(Digests.nameBasedUuid(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
