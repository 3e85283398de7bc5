package com.hirechat.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Send a text message into a conversation; the client message id makes retries safe. */
public record SendMessage(@TargetAggregateIdentifier ConversationId conversationId,
                          UserId sender,
                          ClientMessageId clientMessageId,
                          String text) {
}
