package com.hirechat.infra;

/** Something the configuration points at is unavailable, so the application cannot start; the message names it and its variable. */
public final class StartupException extends RuntimeException {

    public StartupException(String message) {
        // reported as one line by Main: no stack trace to fill
        super(message, null, false, false);
    }
}
