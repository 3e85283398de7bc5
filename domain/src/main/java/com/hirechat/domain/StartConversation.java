package com.hirechat.domain;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Start a conversation, or find the one that already exists for the same participants. */
public record StartConversation(@TargetAggregateIdentifier ConversationId conversationId,
                                UserId initiator,
                                List<UserId> participants) {

    public StartConversation {
        participants = participants == null ? List.of() : List.copyOf(participants);
    }

    /** The direct conversation between the initiator and one counterpart. */
    public static StartConversation direct(UserId initiator, UserId counterpart) {
        return new StartConversation(ConversationId.direct(initiator, counterpart), initiator,
                List.of(initiator, counterpart));
    }
}
