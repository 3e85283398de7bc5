package com.hirechat.domain;

/** An event in a conversation's history; {@code seq} is its place in that history, starting at 0. */
public sealed interface ConversationEvent permits ConversationStarted, MessageSent, ConversationEvents.JobLinked,
        ConversationEvents.ParticipantAdded, ConversationEvents.ParticipantRemoved, ConversationEvents.MessageEdited,
        ConversationEvents.MessageRedacted, ConversationEvents.MessagesRead {

    ConversationId conversationId();

    long seq();
}
