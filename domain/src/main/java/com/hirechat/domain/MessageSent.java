package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** A participant's message was accepted into a conversation at the given sequence number. */
@Revision("1")
public record MessageSent(ConversationId conversationId,
                          MessageId messageId,
                          ClientMessageId clientMessageId,
                          UserId sender,
                          String text,
                          Instant sentAt,
                          long seq) implements ConversationEvent {
}
