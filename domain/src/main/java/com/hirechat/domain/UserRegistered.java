package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** The host site told us about a user for the first time. */
@Revision("1")
public record UserRegistered(UserId userId, Profile profile, Instant registeredAt) {
}
