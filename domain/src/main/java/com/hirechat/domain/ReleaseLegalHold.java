package com.hirechat.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Compliance ends a legal hold; what it deferred is carried out after. */
public record ReleaseLegalHold(String holdId, UserId releasedBy) {

    @TargetAggregateIdentifier
    public String streamId() {
        return LegalHold.streamId(holdId);
    }
}
