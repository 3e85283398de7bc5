package com.hirechat.infra.crypto;

import java.util.Optional;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.UserId;

/**
 * Whose data a key protects: a person's words in one conversation ({@code MESSAGES}), or a person's profile
 * ({@code PROFILE}). Erasing a person destroys every key of theirs; expiring a conversation every key of it.
 */
public record KeySubject(Kind kind, UserId user, Optional<ConversationId> conversation) {

    /** What the key protects. */
    public enum Kind { MESSAGES, PROFILE }

    public static KeySubject messages(ConversationId conversation, UserId author) {
        return new KeySubject(Kind.MESSAGES, author, Optional.of(conversation));
    }

    public static KeySubject profile(UserId user) {
        return new KeySubject(Kind.PROFILE, user, Optional.empty());
    }
}
