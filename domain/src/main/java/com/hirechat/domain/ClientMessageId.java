package com.hirechat.domain;

import java.util.regex.Pattern;

/** The id a client gives a message it sends, so a retry can be recognised: 1 to 64 visible ASCII characters. */
public record ClientMessageId(String value) {

    private static final Pattern SHAPE = Pattern.compile("[\\x21-\\x7E]{1,64}");

    public ClientMessageId {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new DomainRuleViolation(DomainError.INVALID_CLIENT_MESSAGE_ID,
                    "a client message id is 1-64 visible ASCII characters");
        }
    }

    public static ClientMessageId of(String value) {
        return new ClientMessageId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
