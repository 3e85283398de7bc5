package com.hirechat.commands;

/** A command could not be carried out for a reason outside the domain's rules (storage, timeout); nothing is known to be stored. */
public final class CommandFailure extends RuntimeException {

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
