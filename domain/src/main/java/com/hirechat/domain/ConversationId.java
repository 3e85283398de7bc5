package com.hirechat.domain;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A conversation's identity: a UUID, derived from the pair of users for a direct conversation. */
public record ConversationId(String value) {

    public ConversationId {
        if (value == null || !isCanonicalUuid(value)) {
            throw new DomainRuleViolation(DomainError.INVALID_CONVERSATION_ID, "a conversation id is a UUID");
        }
    }

    public static ConversationId of(String value) {
        return new ConversationId(value);
    }

    /** The one id of the direct conversation between two users, whichever of them asks. */
    public static ConversationId direct(UserId one, UserId other) {
        var first = one.compareTo(other) <= 0 ? one : other;
        var second = first == one ? other : one;
        // '\n' cannot occur in a user id, so distinct pairs never produce the same name
        var name = "direct\n" + first.value() + "\n" + second.value();
        return new ConversationId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString());
    }

    private static boolean isCanonicalUuid(String value) {
        if (value.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
