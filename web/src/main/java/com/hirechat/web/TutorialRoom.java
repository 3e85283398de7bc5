package com.hirechat.web;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;

/**
 * The tutorial's room name {@code chat-<id>-<id>}, read for one caller: the direct conversation of the caller and the
 * other id, in either order (the tutorial sorts the ids as strings, its prose says low-high).
 */
record TutorialRoom(String name, UserId self, UserId counterpart) {

    private static final String PREFIX = "chat-";
    static final int MAX_LENGTH = PREFIX.length() + 64 + 1 + 64;

    /**
     * The room, or {@code invalid_room} (400) when the name is not {@code chat-<id>-<id>} of two different valid user
     * ids, or {@code not_a_participant} (403) when the caller is neither of them. User ids may contain {@code -}: the
     * name is split where one side is the caller.
     */
    static TutorialRoom parse(String name, UserId caller) {
        if (name == null || name.length() > MAX_LENGTH || !name.startsWith(PREFIX)) {
            throw invalid();
        }
        var pair = name.substring(PREFIX.length());
        var self = caller.value();
        var valid = false;
        for (var at = pair.indexOf('-'); at >= 0; at = pair.indexOf('-', at + 1)) {
            var left = user(pair.substring(0, at));
            var right = user(pair.substring(at + 1));
            if (left == null || right == null || left.equals(right)) {
                continue;
            }
            valid = true;
            if (left.value().equals(self)) {
                return new TutorialRoom(name, caller, right);
            }
            if (right.value().equals(self)) {
                return new TutorialRoom(name, caller, left);
            }
        }
        throw valid ? Failures.notAParticipant() : invalid();
    }

    private static ApiException invalid() {
        return ApiException.badRequest("invalid_room", "a room is chat-<userId>-<userId> of two different users");
    }

    private static UserId user(String text) {
        try {
            return UserId.of(text);
        } catch (DomainRuleViolation e) {
            return null;
        }
    }

    ConversationId conversation() {
        return ConversationId.direct(self, counterpart);
    }

    /** The name the tutorial's code computes for two users: {@code chat-} and the ids sorted as strings. */
    static String nameOf(UserId one, UserId other) {
        var a = one.value();
        var b = other.value();
        return PREFIX + (a.compareTo(b) <= 0 ? a + "-" + b : b + "-" + a);
    }
}
