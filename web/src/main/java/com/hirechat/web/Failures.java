package com.hirechat.web;

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
            var status = violation.error() == DomainError.NOT_A_PARTICIPANT ? 403 : 400;
            return new ApiException(status, violation.error().code(), violation.getMessage());
        }
        if (failure instanceof CommandFailure) {
            LOG.log(Level.WARNING, "command failed", failure);
            return new ApiException(503, "unavailable", "the message could not be stored; retry with the same clientMessageId");
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return new ApiException(500, "internal_error", "internal error");
    }

    static ApiException notAParticipant() {
        return new ApiException(403, DomainError.NOT_A_PARTICIPANT.code(), "not a participant of this conversation");
    }
}
