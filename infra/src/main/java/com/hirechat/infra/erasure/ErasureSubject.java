package com.hirechat.infra.erasure;

/** What an erasure destroys the keys of: every key of a user, or (retention) every key of a conversation. */
public record ErasureSubject(Kind kind, String id) {

    /** Whose keys: a user's (id is the user id) or a conversation's (id is the conversation id). */
    public enum Kind { USER, CONVERSATION }
}
