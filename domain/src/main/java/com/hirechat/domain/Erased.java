package com.hirechat.domain;

/**
 * What a sealed text or profile name reads as once its key was destroyed (erasure, retention, a lost key): an explicit
 * value the read side shows as a placeholder. No one can send it: {@link MessageText} and profiles refuse it (it holds
 * U+FFFF, a Unicode noncharacter, which is not for interchange).
 */
public final class Erased {

    /** The text of an erased message, and the display name of an erased profile. */
    public static final String TEXT = "\uFFFF(erased)\uFFFF";

    private Erased() {
    }

    /** Whether this text was erased. */
    public static boolean is(String text) {
        return TEXT.equals(text);
    }
}
