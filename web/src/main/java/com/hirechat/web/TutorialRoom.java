package com.hirechat.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;
import com.hirechat.projections.TutorialSends;

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

    /**
     * The client id of a message the tutorial's page sent without one: the {@code k}-th message of this text through
     * one channel is the {@code k}-th through the other, so both derive the same id and the send stores it once.
     */
    static ClientMessageId derivedClientMessageId(TutorialSends sends, ConversationId conversation, UserId sender,
                                                  String text, TutorialSends.Channel channel) {
        var hash = textHash(text);
        var k = sends.next(conversation, sender, hash, channel);
        return ClientMessageId.of("t1-" + hash + "-" + k);
    }

    private static String textHash(String text) {
        try {
            var digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            // 128 bits are plenty to tell one sender's texts in one conversation apart
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
