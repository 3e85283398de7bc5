package com.hirechat.projections;

/** A registered user as the people picker lists them. */
public record UserSummary(String userId, String displayName, String avatarUrl, String role) {
}
