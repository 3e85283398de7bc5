package com.hirechat.web;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ComplianceRecord;
import com.hirechat.projections.feed.ConversationEventFeed;

/** {@code /api/compliance}: the legal record, straight from the event store, for the {@code compliance} role only. */
final class ComplianceRoutes implements HttpService {

    private static final int MAX_REASON = 1000;

    private final Authenticator authenticator;
    private final ConversationEventFeed feed;
    private final ComplianceAccessLog accessLog;
    private final ComplianceRecord record;
    private final UserErasures erasures;

    ComplianceRoutes(Authenticator authenticator, ConversationEventFeed feed, ComplianceAccessLog accessLog,
                     UserErasures erasures) {
        this.authenticator = authenticator;
        this.erasures = erasures;
        this.feed = feed;
        this.accessLog = accessLog;
        this.record = new ComplianceRecord(feed);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/conversations/{id}/events", this::replay)
                .get("/conversations/{id}/transcript", this::transcript)
                .get("/conversations/{id}/export", this::export)
                .get("/conversations/{id}/verify", this::verify)
                .post("/users/{userId}/erasure", this::erase);
    }

    /**
     * Erases a user (docs/compliance.md#erasure): 401, 403, then the user id and the body's reason are checked; 404
     * {@code unknown_user} when nothing of theirs was stored; 409 {@code erasure_held} under a legal hold; 200 with
     * the erasure, {@code alreadyErased} true when an earlier erasure had done it.
     */
    private void erase(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        UserId user;
        try {
            user = UserId.of(request.path().pathParameters().get("userId"));
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
        var reason = Json.optionalText(ApiRoutes.body(request), "reason").map(String::strip).filter(r -> !r.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("missing_field", "'reason' says why the user is erased"));
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("invalid_field", "'reason' is at most " + MAX_REASON + " characters");
        }
        UserErasures.Outcome outcome;
        try {
            outcome = erasures.erase(user, principal.user(), reason);
        } catch (UserErasures.UnknownUser e) {
            throw new ApiException(404, "unknown_user", e.getMessage());
        } catch (UserErasures.Held e) {
            throw new ApiException(409, "erasure_held", e.getMessage());
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("userId", outcome.userId().value());
        body.put("requestId", outcome.requestId());
        body.put("destroyedKeys", outcome.keyIds());
        body.put("completedAt", outcome.completedAt());
        body.put("alreadyErased", outcome.alreadyErased());
        ApiRoutes.json(response, body);
    }

    /** Every event of the conversation in order, edits and redacted texts included; the access is recorded first. */
    private void replay(ServerRequest request, ServerResponse response) {
        var conversation = audited(request, compliance(request), "replay");
        List<Map<String, Object>> events = feed.read(conversation, -1).stream().map(ComplianceExport::view).toList();
        ApiRoutes.json(response, Map.of("conversationId", conversation.value(), "events", events));
    }

    /** Recomputes the hash chain from the event store and names the first broken link. */
    private void verify(ServerRequest request, ServerResponse response) {
        var conversation = audited(request, compliance(request), "verify");
        var result = feed.verify(conversation);
        var body = new LinkedHashMap<String, Object>();
        body.put("conversationId", conversation.value());
        body.put("intact", result.intact());
        body.put("checkedEvents", result.checked());
        body.put("firstBrokenSeq", result.firstBrokenSeq());
        body.put("schemes", result.schemes());
        ApiRoutes.json(response, body);
    }

    /** The transcript as participants saw it at {@code asOf}. */
    private void transcript(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        var asOf = request.query().first("asOf").asOptional().map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("invalid_parameter", "'asOf' is an ISO-8601 instant like 2026-11-24T09:00:00Z");
            }
        }).orElseThrow(() -> ApiException.badRequest("missing_parameter", "'asOf' is required"));
        var conversation = audited(request, principal, "transcript");
        ApiRoutes.json(response, Map.of("conversationId", conversation.value(), "asOf", asOf,
                "messages", record.transcriptAsOf(conversation, asOf)));
    }

    /** Every event as JSON Lines or CSV, streamed from the store in batches: constant memory for any length. */
    private void export(ServerRequest request, ServerResponse response) throws IOException {
        var principal = compliance(request);
        var format = ComplianceExport.Format.parse(request.query().first("format").asOptional().orElse("jsonl"))
                .orElseThrow(() -> ApiException.badRequest("invalid_parameter", "'format' is jsonl or csv"));
        var conversation = audited(request, principal, "export-" + format.extension());
        response.header(HeaderNames.CONTENT_TYPE, format.contentType());
        response.header(HeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"conversation-" + conversation.value() + "." + format.extension() + "\"");
        try (var export = new ComplianceExport(response.outputStream(), format)) {
            feed.replayChained(conversation, export::write);
        }
    }

    /**
     * Authenticates (401), then authorises (403), before any parameter is looked at: a caller without the role
     * learns nothing about which parameters are wrong.
     */
    private Principal compliance(ServerRequest request) {
        var principal = authenticator.require(request);
        if (!principal.roles().contains(Principal.COMPLIANCE)) {
            throw new ApiException(403, "forbidden", "the compliance role is required");
        }
        return principal;
    }

    /** Validates the conversation and reason of an authorised caller and records the access. */
    private ConversationId audited(ServerRequest request, Principal principal, String action) {
        ConversationId conversation;
        try {
            conversation = ConversationId.of(request.path().pathParameters().get("id"));
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
        var reason = request.query().first("reason").asOptional().map(String::strip).filter(r -> !r.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'reason' says why the record is read"));
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("invalid_parameter", "'reason' is at most " + MAX_REASON + " characters");
        }
        // recorded before anything is read: an access that fails half-way is still on file
        accessLog.record(principal.user(), action, conversation, reason);
        return conversation;
    }
}
