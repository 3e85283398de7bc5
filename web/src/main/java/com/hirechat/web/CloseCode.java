package com.hirechat.web;

/**
 * Every WebSocket close code this server sends, including those Helidon sends on its behalf; docs/protocol.md lists
 * exactly these (checked by {@code ProtocolDocumentationTest}).
 */
enum CloseCode {
    /** Helidon: the answer to a client's own close. (A connection idle too long is dropped with no close frame.) */
    NORMAL(1000),
    /** Helidon: a frame that breaks RFC 6455 (not masked, reserved bits set, a continuation with nothing to continue). */
    PROTOCOL_ERROR(1002),
    /** Helidon: one frame longer than {@link ServerSettings#maxFrameBytes()}, refused on its header, never read. */
    MESSAGE_TOO_BIG(1009),
    /** A fault on the server's side: a frame that cannot be rendered, or (Helidon) the listener failed. */
    INTERNAL_ERROR(1011),
    /** The server is shutting down: reconnect (to another node) and resume with afterSeq. */
    SERVICE_RESTART(1012),
    /** The client fell too far behind reading: reconnect and resume with afterSeq. */
    BACKLOG_EXCEEDED(4008);

    // Helidon can also send 1013 (try again later), but only when a concurrency limit is configured, and none is.

    private final int code;

    CloseCode(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }
}
