package com.hirechat.projections;

import java.time.Instant;

/**
 * One line of a user's sidebar. {@code lastEventSeq} is a safe {@code afterSeq} to resume the conversation from;
 * {@code removed} means the user left or was removed and keeps what came before; {@code lastMessageErased} that the
 * last message's author was erased (no preview).
 */
public record Contact(String conversationId, String kind, String title, String counterpartId, String counterpartName,
                      String counterpartAvatarUrl, String counterpartRole, Long lastMessageSeq,
                      String lastMessagePreview, String lastMessageSenderId, boolean lastMessageRedacted,
                      Instant lastActivity, long readUpTo, int unreadCount, boolean removed, long lastEventSeq,
                      boolean lastMessageErased) {
}
