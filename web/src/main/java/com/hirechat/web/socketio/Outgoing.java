package com.hirechat.web.socketio;

/**
 * One item of a session's outgoing queue, rendered by the session's single writer in queue order, so that state which
 * must follow the order of delivery (a recovery offset) is updated there. Renders to null when it sends nothing.
 */
@FunctionalInterface
public interface Outgoing {

    /** The Engine.IO packet to write (e.g. {@code 42["event",…]}), or null for nothing. */
    String render();

    static Outgoing of(String packet) {
        return () -> packet;
    }
}
