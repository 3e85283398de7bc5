package com.hirechat.projections;

import java.time.Instant;

/** A user's profile as last registered by the host site. */
public record UserProfileView(String userId, String displayName, String avatarUrl, String role, Instant updatedAt) {
}
