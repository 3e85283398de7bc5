package com.hirechat.domain;

import java.time.Instant;

/** What a sender learns once its message is stored: the same answer for every retry of the same send. */
public record MessageAccepted(MessageId messageId, long seq, Instant sentAt) {
}
