package com.hirechat.projections;

import java.time.Instant;

/** A message as the history shows it now. */
public record HistoryMessage(String conversationId, long seq, String messageId, String clientMessageId,
                             String senderId, String text, Instant sentAt) {
}
