package com.hirechat.web;

import java.util.Set;

import com.hirechat.domain.UserId;

/** Who is calling, from a verified token: the user and their roles ({@code user}, {@code compliance}, {@code admin}). */
public record Principal(UserId user, Set<String> roles) {

    public static final String ADMIN = "admin";
    public static final String COMPLIANCE = "compliance";
    public static final String USER = "user";

    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN);
    }
}
