package com.hirechat.domain;

/** What a legal hold preserves: every key of a user, or every key of a conversation. */
public record HoldTarget(Kind kind, String id) {

    /** A user (id is a user id) or a conversation (id is a conversation id). */
    public enum Kind { USER, CONVERSATION }

    public HoldTarget {
        java.util.Objects.requireNonNull(kind, "kind");
        // the id is checked by the type it names, so a hold can only name a well-formed subject
        id = switch (kind) {
            case USER -> UserId.of(id).value();
            case CONVERSATION -> ConversationId.of(id).value();
        };
    }
}
