package com.hirechat.domain;

import java.time.Instant;
import java.util.List;

import org.axonframework.serialization.Revision;

/**
 * A conversation came into being with its participants; always the conversation's event at seq 0.
 * {@code title} is the group's name, null for a direct conversation.
 */
@Revision("1")
public record ConversationStarted(ConversationId conversationId,
                                  ConversationKind kind,
                                  UserId startedBy,
                                  List<UserId> participants,
                                  String title,
                                  Instant startedAt,
                                  long seq) implements ConversationEvent {

    public ConversationStarted {
        participants = List.copyOf(participants);
    }
}
