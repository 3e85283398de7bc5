package com.hirechat.projections;

import java.time.Instant;

/** One line of a user's sidebar. */
public record Contact(String conversationId, String counterpartId, String lastMessagePreview,
                      String lastMessageSenderId, Instant lastActivity, long lastSeq, int unreadCount) {
}
