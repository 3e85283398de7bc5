package com.hirechat.commands.writepath;

/**
 * The command bus did not take a command: its worker's queue is full, or the bus is shutting down. Nothing of the
 * command ran, so the caller may retry it (a send with the same client message id) here later or on another node.
 */
public final class CommandRefused extends RuntimeException {

    private CommandRefused(String message) {
        super(message, null, false, false); // an expected answer under load: no stack trace to fill
    }

    static CommandRefused queueFull(int capacity) {
        return new CommandRefused("the command queue is full (" + capacity + " waiting); retry shortly");
    }

    static CommandRefused shuttingDown() {
        return new CommandRefused("the command bus is shutting down; retry on another connection");
    }
}
