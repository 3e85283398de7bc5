package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/**
 * A participant's message was accepted into a conversation at the given sequence number. Revision 2 renamed
 * revision 1's {@code sender} to {@code sentBy}, the {@code <verb>By} of every other conversation event; stored
 * revision-1 payloads are upcast on reading (commands' {@code MessageSentUpcaster}).
 */
@Revision("2")
public record MessageSent(ConversationId conversationId,
                          MessageId messageId,
                          ClientMessageId clientMessageId,
                          UserId sentBy,
                          String text,
                          Instant sentAt,
                          long seq) implements ConversationEvent {
}
