package com.hirechat.domain;

import java.time.Instant;

import org.axonframework.serialization.Revision;

/** A user's name, picture or role changed on the host site. */
@Revision("1")
public record UserProfileUpdated(UserId userId, Profile profile, Instant updatedAt) {
}
