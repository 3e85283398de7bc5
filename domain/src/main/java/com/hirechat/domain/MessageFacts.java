package com.hirechat.domain;

/** What a conversation must know about one of its messages to judge an edit or a redaction of it. */
public record MessageFacts(UserId author, long seq, boolean redacted) {
}
