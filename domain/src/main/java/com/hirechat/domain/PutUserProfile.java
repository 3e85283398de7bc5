package com.hirechat.domain;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The host site registers a user or updates their profile; the same profile again changes nothing. */
public record PutUserProfile(UserId userId, Profile profile) {

    /** Users and conversations share the event store: a prefix keeps a user id from naming a conversation's stream. */
    @TargetAggregateIdentifier
    public String streamId() {
        return UserAccount.streamId(userId);
    }
}
