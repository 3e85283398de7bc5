package com.hirechat.web;

import java.time.Instant;
import java.util.List;

import com.hirechat.domain.UserId;

/** Erasing a user (crypto-shredding, docs/compliance.md#erasure), as the compliance API asks for it. */
public interface UserErasures {

    /**
     * Destroys every key of {@code user} and records the erasure; a user already erased (no live keys left) gets
     * the earlier erasure back, marked {@code alreadyErased}.
     *
     * @throws UnknownUser when nothing of that user was ever stored
     * @throws Held        when a legal hold defers the erasure
     */
    Outcome erase(UserId user, UserId requestedBy, String reason);

    /** What an erasure did: its request, the keys it destroyed, when it completed. */
    record Outcome(String requestId, UserId userId, List<String> keyIds, Instant completedAt, boolean alreadyErased) {
    }

    /** Nothing of this user was ever stored: no keys, no conversations, no profile. */
    final class UnknownUser extends RuntimeException {
        public UnknownUser(UserId user) {
            super("no user " + user + " is known here");
        }
    }

    /** A legal hold (see {@code ErasureGuard}) defers this erasure. */
    final class Held extends RuntimeException {
        public Held(String message) {
            super(message);
        }
    }
}
