package com.hirechat.projections;

import java.time.Instant;

/**
 * A message as the history shows it now: edits applied, a redacted message's text empty, an erased one's (its author's
 * key destroyed) empty with {@code erased} true.
 */
public record HistoryMessage(String conversationId, long seq, String messageId, String clientMessageId,
                             String senderId, String senderName, String senderAvatarUrl, String text, Instant sentAt,
                             Instant editedAt, boolean redacted, Instant redactedAt, boolean erased) {
}
