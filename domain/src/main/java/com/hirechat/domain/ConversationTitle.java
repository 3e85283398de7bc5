package com.hirechat.domain;

/** The rules for a group conversation's name. */
public final class ConversationTitle {

    public static final int MAX_LENGTH = 100;

    private ConversationTitle() {
    }

    public static String require(String title) {
        if (title == null || title.isBlank() || title.codePointCount(0, title.length()) > MAX_LENGTH) {
            throw new DomainRuleViolation(DomainError.INVALID_TITLE,
                    "a group needs a name of 1-" + MAX_LENGTH + " characters");
        }
        return title.strip();
    }
}
