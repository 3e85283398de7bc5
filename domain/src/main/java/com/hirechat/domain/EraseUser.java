package com.hirechat.domain;

import java.util.List;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Records that a user's keys were destroyed (the keys are destroyed first, outside the aggregate); the same request
 * again changes nothing, so a resumed erasure records it once.
 */
public record EraseUser(UserId userId, UserId erasedBy, String reason, String requestId, List<String> keyIds) {

    @TargetAggregateIdentifier
    public String streamId() {
        return UserAccount.streamId(userId);
    }
}
