package com.hirechat.web;

import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.http.HttpException;

import com.hirechat.commands.CommandFailure;
import com.hirechat.domain.DomainError;
import com.hirechat.domain.DomainRuleViolation;

/** Turns any failure into the one error shape clients see: a stable code, a message, an HTTP status; never a stack trace. */
final class Failures {

    private static final Logger LOG = Logger.getLogger(Failures.class.getName());

    private Failures() {
    }

    static ApiException describe(Throwable failure) {
        if (failure instanceof ApiException api) {
            return api;
        }
        if (failure instanceof HttpException http) {
            // Helidon's own refusals (unknown path, body too large, malformed request) keep their status
            var status = http.status().code();
            var code = switch (status) {
                case 404 -> "not_found";
                case 405 -> "method_not_allowed";
                case 413 -> "payload_too_large";
                default -> status < 500 ? "bad_request" : "internal_error";
            };
            return new ApiException(status, code, status < 500 ? http.status().reasonPhrase() : "internal error");
        }
        if (failure instanceof DomainRuleViolation violation) {
            return new ApiException(status(violation.error()), violation.error().code(), violation.getMessage());
        }
        if (failure instanceof CommandFailure) {
            logCommandFailure(failure);
            return new ApiException(503, "unavailable", "the message could not be stored; retry with the same clientMessageId");
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return new ApiException(500, "internal_error", "internal error");
    }

    /**
     * The HTTP status of each broken rule, as docs/api.md lists it: 403 when the caller may not do this at all,
     * 400 when the request itself is wrong. Exhaustive, so a new rule cannot fall through to a default.
     */
    static int status(DomainError error) {
        return switch (error) {
            case NOT_A_PARTICIPANT, NOT_ALLOWED -> 403;
            case INVALID_USER_ID, INVALID_CONVERSATION_ID, INVALID_CLIENT_MESSAGE_ID, INVALID_PARTICIPANTS,
                 CONVERSATION_ID_MISMATCH, EMPTY_TEXT, TEXT_TOO_LONG, INVALID_TEXT, INVALID_MESSAGE_ID, INVALID_JOB,
                 INVALID_TITLE, INVALID_PROFILE, NOT_A_GROUP, UNKNOWN_MESSAGE, NOT_THE_AUTHOR, MESSAGE_REDACTED,
                 INVALID_READ_POSITION, INVALID_MATTER, INVALID_ATTACHMENT, TOO_MANY_ATTACHMENTS -> 400;
            case UNKNOWN_HOLD -> 404;
            case HOLD_RELEASED -> 409;
        };
    }

    // a command refused while draining (no cause) or too slow is expected under load or at shutdown: one line each;
    // only a failure from below (storage, serialisation) is worth its stack trace
    private static void logCommandFailure(Throwable failure) {
        var cause = failure.getCause();
        if (cause == null) {
            LOG.fine(() -> "command refused: " + failure.getMessage());
        } else if (cause instanceof TimeoutException) {
            LOG.warning(() -> "command failed: " + failure.getMessage());
        } else {
            LOG.log(Level.WARNING, "command failed", failure);
        }
    }

    static ApiException notAParticipant() {
        return new ApiException(403, DomainError.NOT_A_PARTICIPANT.code(), "not a participant of this conversation");
    }
}
