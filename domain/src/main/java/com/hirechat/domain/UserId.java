package com.hirechat.domain;

import java.util.regex.Pattern;

/** A user as the host site identifies them: 1 to 64 letters, digits or {@code . _ @ -}. */
public record UserId(String value) implements Comparable<UserId> {

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    public UserId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new DomainRuleViolation(DomainError.INVALID_USER_ID,
                    "a user id is 1-64 characters of letters, digits, '.', '_', '@' or '-'");
        }
    }

    public static UserId of(String value) {
        return new UserId(value);
    }

    @Override
    public int compareTo(UserId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
