package com.hirechat.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Compliance preserves a user or a conversation for a legal matter: erasure and retention wait until release. */
public record PlaceLegalHold(String holdId, HoldTarget target, String matter, UserId placedBy) {

    @TargetAggregateIdentifier
    public String streamId() {
        return LegalHold.streamId(holdId);
    }
}
