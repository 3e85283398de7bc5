package com.hirechat.domain;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Send a message into a conversation: a text, attachments (files uploaded before), or both; the client message id
 * makes retries safe.
 */
public record SendMessage(@TargetAggregateIdentifier ConversationId conversationId,
                          UserId sender,
                          ClientMessageId clientMessageId,
                          String text,
                          List<Attachment> attachments) {

    public SendMessage {
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A text message without attachments. */
    public SendMessage(ConversationId conversationId, UserId sender, ClientMessageId clientMessageId, String text) {
        this(conversationId, sender, clientMessageId, text, List.of());
    }
}
