package com.hirechat.web;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import com.hirechat.domain.DomainError;

/**
 * Every code the WebSocket endpoint refuses with: in error frames and in the bodies of refused upgrades.
 * docs/protocol.md lists exactly these ({@code ProtocolDocumentationTest}); a code missing here never reaches a client.
 */
final class SocketErrors {

    private static final Logger LOG = Logger.getLogger(SocketErrors.class.getName());

    /** The socket's own codes (framing, JSON, limits, faults), whatever the frame asked for. */
    private static final Set<String> SOCKET_CODES = Set.of("bad_json", "invalid_utf8", "unsupported_frame",
            "frame_too_large", "unknown_type", "missing_field", "invalid_field", "rate_limited", "unavailable",
            "internal_error", "invalid_attachment_id", "unknown_attachment");

    /**
     * The domain rules a frame can break. The others (participants, titles, jobs, profiles, groups) belong to
     * commands only the HTTP API sends.
     */
    private static final Set<DomainError> DOMAIN_ERRORS = EnumSet.of(DomainError.INVALID_CONVERSATION_ID,
            DomainError.INVALID_CLIENT_MESSAGE_ID, DomainError.INVALID_MESSAGE_ID, DomainError.NOT_A_PARTICIPANT,
            DomainError.EMPTY_TEXT, DomainError.TEXT_TOO_LONG, DomainError.INVALID_TEXT, DomainError.UNKNOWN_MESSAGE,
            DomainError.NOT_THE_AUTHOR, DomainError.NOT_ALLOWED, DomainError.MESSAGE_REDACTED,
            DomainError.INVALID_READ_POSITION, DomainError.TOO_MANY_ATTACHMENTS, DomainError.INVALID_ATTACHMENT);

    /** Every code an {@code error} frame can carry. */
    static final Set<String> FRAME_CODES = frameCodes();

    /**
     * Every code a refused upgrade can answer with, and its HTTP status. {@code bad_request} is Helidon's, for an
     * upgrade request that is malformed (a version other than 13, a {@code Sec-WebSocket-Key} of the wrong length).
     */
    static final Map<String, Integer> UPGRADE_CODES = Map.of("unauthenticated", 401, "invalid_token", 401,
            "forbidden_origin", 403, "too_many_connections", 429, "bad_request", 400);

    /** Every code a Socket.IO event's refusal carries (an ack's {@code error}, or a {@code chat_error} event). */
    static final Set<String> SOCKET_IO_CODES = socketIoCodes();

    private SocketErrors() {
    }

    private static Set<String> frameCodes() {
        var codes = new HashSet<>(SOCKET_CODES);
        codes.addAll(DOMAIN_ERRORS.stream().map(DomainError::code).collect(Collectors.toSet()));
        return Set.copyOf(codes);
    }

    private static Set<String> socketIoCodes() {
        var codes = new HashSet<>(FRAME_CODES);
        codes.removeAll(Set.of("bad_json", "invalid_utf8", "unsupported_frame", "unknown_type", "invalid_conversation_id",
                "invalid_message_id", "unknown_message", "not_the_author", "not_allowed", "message_redacted",
                "invalid_read_position",
                // the tutorial's send_message carries text only: no attachment refusal can reach a Socket.IO client
                "invalid_attachment", "invalid_attachment_id", "unknown_attachment", "too_many_attachments"));
        codes.addAll(Set.of("unknown_event", "invalid_room", "too_many_rooms"));
        return Set.copyOf(codes);
    }

    /** The refusal of a Socket.IO event: itself when its code is documented, else a logged internal error. */
    static ApiException socketIoError(ApiException error) {
        return SOCKET_IO_CODES.contains(error.code()) ? error : undocumented(error);
    }

    /** The refusal to put in an error frame: itself when its code is documented, else a logged internal error. */
    static ApiException frameError(ApiException error) {
        return FRAME_CODES.contains(error.code()) ? error : undocumented(error);
    }

    /** The refusal to answer an upgrade with: itself when its code and status are documented, else an internal error. */
    static ApiException upgradeRefusal(ApiException error) {
        var status = UPGRADE_CODES.get(error.code());
        return status != null && status == error.status() ? error : undocumented(error);
    }

    // a client must never meet a code the protocol does not define; one here is a bug in this module
    private static ApiException undocumented(ApiException error) {
        LOG.severe(() -> "refusal with a code docs/protocol.md does not list: " + error.status() + " "
                + error.code() + "; sent as internal_error");
        return new ApiException(500, "internal_error", "internal error");
    }
}
