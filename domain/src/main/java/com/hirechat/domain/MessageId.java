package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A message's server-side identity, derived from its conversation, its sender and the client's message id. */
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

    /**
     * Deterministic so that a retried send names the same message as the original; the sender is part of it
     * because two people may pick the same client message id. Messages stored before the sender was included
     * keep the ids they were given (ids are stored in the events, never derived again).
     */
    public static MessageId of(ConversationId conversation, UserId sender, ClientMessageId clientMessageId) {
        // four lines where the earlier form had three, and neither part can hold a line break: no name of one
        // form equals a name of the other
        var name = "message\n" + conversation.value() + "\n" + sender.value() + "\n" + clientMessageId.value();
        return new MessageId(Digests.nameBasedUuid(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Override
    public String toString() {
        return value;
    }
}
