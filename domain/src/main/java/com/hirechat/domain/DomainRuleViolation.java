package com.hirechat.domain;

/** A command or value broke a domain rule; nothing was stored. */
public final class DomainRuleViolation extends RuntimeException {

    private final DomainError error;

    public DomainRuleViolation(DomainError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public DomainError error() {
        return error;
    }
}
