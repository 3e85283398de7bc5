package com.hirechat.domain;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that retention destroyed a conversation's keys (destroyed first, outside the aggregate); the same request
 * again records nothing, so a resumed expiry is recorded once.
 */
public record ExpireConversation(ConversationId conversationId, String policy, String requestId, List<String> keyIds) {

    @TargetAggregateIdentifier
    public String streamId() {
        return ConversationRetention.streamId(conversationId);
    }
}
