package com.hirechat.infra.erasure;

/**
 * A hold placed after an erasure's first check and before its keys were destroyed: nothing was destroyed, and the
 * request became a deferred one in the same transaction.
 */
public final class ErasureHeld extends RuntimeException {

    private final transient ErasureSubject subject;
    private final String matters;

    ErasureHeld(ErasureSubject subject, String matters) {
        super(subject.kind() + " " + subject.id() + " is under legal hold (" + matters + ")");
        this.subject = subject;
        this.matters = matters;
    }

    public ErasureSubject subject() {
        return subject;
    }

    public String matters() {
        return matters;
    }
}
