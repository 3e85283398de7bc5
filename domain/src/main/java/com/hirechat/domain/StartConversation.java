package com.hirechat.domain;

import java.util.List;
import java.util.UUID;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Start a conversation, or find the one that already exists for the same participants.
 * Direct conversations have two participants and an id derived from them; groups have a fresh id and a title.
 */
public record StartConversation(@TargetAggregateIdentifier ConversationId conversationId,
                                ConversationKind kind,
                                UserId initiator,
                                List<UserId> participants,
                                String title) {

    /** Most participants a group may start with. */
    public static final int MAX_GROUP_SIZE = 100;

    public StartConversation {
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** The direct conversation between the initiator and one counterpart. */
    public static StartConversation direct(UserId initiator, UserId counterpart) {
        return new StartConversation(ConversationId.direct(initiator, counterpart), ConversationKind.DIRECT, initiator,
                List.of(initiator, counterpart), null);
    }

    /** A new group of the initiator and the others. */
    public static StartConversation group(UserId initiator, List<UserId> others, String title) {
        var participants = new java.util.ArrayList<UserId>();
        participants.add(initiator);
        participants.addAll(others);
        return new StartConversation(new ConversationId(UUID.randomUUID().toString()), ConversationKind.GROUP,
                initiator, participants, title);
    }
}
