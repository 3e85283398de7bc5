package com.hirechat.domain;

/** The rules for a message's text: present, not only whitespace, well-formed Unicode, bounded length. */
public final class MessageText {

    /** Longest text accepted, in Unicode code points. */
    public static final int MAX_CODE_POINTS = 4000;

    private MessageText() {
    }

    /** Returns the text unchanged when it is acceptable, otherwise refuses it. */
    public static String require(String text) {
        if (text == null || text.isBlank()) {
            throw new DomainRuleViolation(DomainError.EMPTY_TEXT, "message text must not be empty");
        }
        if (hasLoneSurrogate(text) || Erased.is(text)) {
            throw new DomainRuleViolation(DomainError.INVALID_TEXT, "message text is not valid Unicode");
        }
        if (text.codePointCount(0, text.length()) > MAX_CODE_POINTS) {
            throw new DomainRuleViolation(DomainError.TEXT_TOO_LONG,
                    "message text is longer than " + MAX_CODE_POINTS + " characters");
        }
        return text;
    }

    // A lone surrogate cannot be encoded as UTF-8, so it would not survive storage intact.
    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
