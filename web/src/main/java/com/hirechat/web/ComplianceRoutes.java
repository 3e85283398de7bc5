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
import com.hirechat.domain.HoldTarget;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ComplianceRecord;
import com.hirechat.projections.ComplianceSearch;
import com.hirechat.projections.feed.ConversationEventFeed;

/** {@code /api/compliance}: the legal record, straight from the event store, for the {@code compliance} role only. */
final class ComplianceRoutes implements HttpService {

    private static final int MAX_REASON = 1000;

    private final Authenticator authenticator;
    private final ConversationEventFeed feed;
    private final ComplianceAccessLog accessLog;
    private final ComplianceRecord record;
    private final UserErasures erasures;
    private final ComplianceControls controls;
    private final ComplianceSearch search;
    private final AttachmentVerification files;
    private final AttachmentZipExport zipExport;

    ComplianceRoutes(Authenticator authenticator, ConversationEventFeed feed, ComplianceAccessLog accessLog,
                     UserErasures erasures, ComplianceControls controls, ComplianceSearch search,
                     AttachmentStore attachments) {
        this.files = new AttachmentVerification(attachments);
        this.zipExport = new AttachmentZipExport(feed, attachments);
        this.authenticator = authenticator;
        this.search = search;
        this.erasures = erasures;
        this.controls = controls;
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
                .post("/users/{userId}/erasure", this::erase)
                .get("/search", this::search)
                .get("/export", this::exportSelection)
                .get("/access-log", this::accessLog)
                .get("/access-log/export", this::exportAccessLog)
                .post("/holds", this::placeHold)
                .get("/holds", this::holds)
                .delete("/holds/{holdId}", this::releaseHold)
                .post("/retention/runs", this::runRetention)
                .get("/retention/runs", this::retentionRuns);
    }

    /**
     * Places a legal hold (docs/compliance.md#legal-hold): 401, 403, then the body: {@code kind} USER or
     * CONVERSATION, {@code id}, {@code matter}; 404 {@code unknown_user} / {@code unknown_conversation} when nothing
     * of it was stored; 201 with the hold.
     */
    private void placeHold(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        var body = ApiRoutes.body(request);
        var kind = Json.requiredValue(body, "kind", text -> {
            try {
                return HoldTarget.Kind.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("invalid_field", "'kind' is USER or CONVERSATION");
            }
        });
        var target = Json.requiredValue(body, "id", id -> new HoldTarget(kind, id));
        var matter = Json.requiredText(body, "matter");
        ComplianceControls.Hold hold;
        try {
            hold = controls.place(target, matter, principal.user());
        } catch (ComplianceControls.UnknownTarget e) {
            throw new ApiException(404, kind == HoldTarget.Kind.USER ? "unknown_user" : "unknown_conversation",
                    e.getMessage());
        } catch (DomainRuleViolation e) {
            throw new ApiException(Failures.status(e.error()), e.error().code(), e.getMessage());
        }
        response.status(io.helidon.http.Status.CREATED_201);
        ApiRoutes.json(response, holdView(hold));
    }

    /** Lists every hold with its matter, active ones first. */
    private void holds(ServerRequest request, ServerResponse response) {
        compliance(request);
        ApiRoutes.json(response, Map.of("holds", controls.holds().stream().map(ComplianceRoutes::holdView).toList()));
    }

    /**
     * Releases a hold and carries out what it deferred: 400 {@code invalid_hold_id}, 404 {@code unknown_hold}, 409
     * {@code hold_released} when it was released already.
     */
    private void releaseHold(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        var holdId = request.path().pathParameters().get("holdId");
        try {
            holdId = java.util.UUID.fromString(holdId).toString();
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_hold_id", "a hold id is a UUID");
        }
        ComplianceControls.Release release;
        try {
            release = controls.release(holdId, principal.user());
        } catch (ComplianceControls.UnknownHold e) {
            throw new ApiException(404, "unknown_hold", e.getMessage());
        } catch (DomainRuleViolation e) {
            throw new ApiException(Failures.status(e.error()), e.error().code(), e.getMessage());
        }
        var body = new LinkedHashMap<String, Object>(holdView(release.hold()));
        body.put("carriedOut", release.carriedOut());
        body.put("stillDeferred", release.stillDeferred());
        ApiRoutes.json(response, body);
    }

    /**
     * Runs the retention policy now; {@code dryRun=true} lists what would go and changes nothing: 400
     * {@code invalid_parameter} for another value, 409 {@code retention_off} without a policy.
     */
    private void runRetention(ServerRequest request, ServerResponse response) {
        compliance(request);
        var dryRun = switch (request.query().first("dryRun").asOptional().orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid_parameter", "'dryRun' is true or false");
        };
        try {
            ApiRoutes.json(response, runView(controls.runRetention(dryRun, "API")));
        } catch (ComplianceControls.RetentionOff e) {
            throw new ApiException(409, "retention_off", e.getMessage());
        }
    }

    /** The latest retention runs, newest first ({@code limit} 1..500, default 50). */
    private void retentionRuns(ServerRequest request, ServerResponse response) {
        compliance(request);
        var limit = request.query().first("limit").asOptional().map(text -> {
            try {
                var value = Integer.parseInt(text);
                if (value >= 1 && value <= 500) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest("invalid_parameter", "'limit' is 1 to 500");
        }).orElse(50);
        ApiRoutes.json(response, Map.of("runs",
                controls.retentionRuns(limit).stream().map(ComplianceRoutes::runView).toList()));
    }

    private static Map<String, Object> holdView(ComplianceControls.Hold hold) {
        var view = new LinkedHashMap<String, Object>();
        view.put("holdId", hold.holdId());
        view.put("kind", hold.targetKind());
        view.put("id", hold.targetId());
        view.put("matter", hold.matter());
        view.put("placedBy", hold.placedBy());
        view.put("placedAt", hold.placedAt());
        view.put("active", hold.releasedAt().isEmpty());
        view.put("releasedBy", hold.releasedBy().orElse(null));
        view.put("releasedAt", hold.releasedAt().orElse(null));
        return view;
    }

    private static Map<String, Object> runView(ComplianceControls.RetentionRun run) {
        var view = new LinkedHashMap<String, Object>();
        view.put("runId", run.runId());
        view.put("startedAt", run.startedAt());
        view.put("node", run.node());
        view.put("dryRun", run.dryRun());
        view.put("trigger", run.trigger());
        view.put("policy", run.policy());
        view.put("expired", run.expired());
        view.put("deferred", run.deferred());
        return view;
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
        var dryRun = switch (request.query().first("dryRun").asOptional().orElse("false")) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.badRequest("invalid_parameter", "'dryRun' is true or false");
        };
        var reason = Json.optionalText(ApiRoutes.body(request), "reason").map(String::strip).filter(r -> !r.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("missing_field", "'reason' says why the user is erased"));
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("invalid_field", "'reason' is at most " + MAX_REASON + " characters");
        }
        if (dryRun) {
            ApiRoutes.json(response, erasureDryRun(user, principal, reason));
            return;
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

    /**
     * What an erasure would make unreadable, changing nothing: the user's still readable messages, their
     * conversations, their profile fields, and the active holds that would defer it. Recorded in the access log.
     */
    private Map<String, Object> erasureDryRun(UserId user, Principal principal, String reason) {
        var impact = search.erasureImpact(user);
        if (impact.knowsNothing() && !search.tookPart(user)) {
            throw new ApiException(404, "unknown_user", "no user " + user.value() + " is known here");
        }
        accessLog.record(principal.user(), "erasure-dry-run", null, reason, "user=" + user.value());
        var conversations = search.conversationsOf(user).stream().map(ConversationId::value).toList();
        var heldBy = controls.holds().stream()
                .filter(hold -> hold.releasedAt().isEmpty())
                .filter(hold -> hold.targetKind().equals("USER") ? hold.targetId().equals(user.value())
                        : conversations.contains(hold.targetId()))
                .map(ComplianceControls.Hold::matter).distinct().toList();
        var body = new LinkedHashMap<String, Object>();
        body.put("userId", user.value());
        body.put("dryRun", true);
        body.put("messages", impact.messages());
        body.put("conversations", impact.conversations());
        body.put("profileFields", impact.profileFields());
        body.put("heldBy", heldBy);
        return body;
    }

    /**
     * Finds conversations by words in messages, participant, job and when messages were sent: a page of them with
     * their match counts, and the totals. Recorded in the access log with the criteria.
     */
    private void search(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        var criteria = criteria(request);
        var page = intParameter(request, "page", 1, 1, 10_000);
        var pageSize = intParameter(request, "pageSize", 20, 1, 100);
        var reason = reason(request);
        accessLog.record(principal.user(), "search", null, reason, criteria.describe());
        var found = search.search(criteria, page, pageSize);
        var body = new LinkedHashMap<String, Object>();
        body.put("page", found.page());
        body.put("pageSize", found.pageSize());
        body.put("totalConversations", found.totalConversations());
        body.put("totalMatches", found.totalMatches());
        body.put("conversations", found.conversations());
        ApiRoutes.json(response, body);
    }

    /**
     * Exports a selection of conversations: {@code selection=user} (every conversation of {@code user}) or
     * {@code selection=search} (every conversation the search finds), streamed as {@code ExportSelection} writes it
     * for the command line too. Each conversation is recorded in the access log before it is read.
     */
    private void exportSelection(ServerRequest request, ServerResponse response) throws IOException {
        var principal = compliance(request);
        var format = format(request);
        var kind = request.query().first("selection").asOptional()
                .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'selection' is user or search"));
        List<ConversationId> conversations;
        String detail;
        String name;
        switch (kind) {
            case "user" -> {
                var user = userParameter(request, "user")
                        .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'user' is required"));
                var reason = reason(request);
                conversations = search.conversationsOf(user);
                if (conversations.isEmpty()) {
                    throw new ApiException(404, "unknown_user", "no conversation of " + user.value() + " is stored");
                }
                detail = "user=" + user.value();
                name = "user-" + user.value();
                accessLog.record(principal.user(), "export-selection", null, reason, detail);
                stream(response, format, name, conversations, principal, reason);
            }
            case "search" -> {
                var criteria = criteria(request);
                var reason = reason(request);
                conversations = search.conversations(criteria);
                accessLog.record(principal.user(), "export-selection", null, reason, criteria.describe());
                stream(response, format, "search", conversations, principal, reason);
            }
            default -> throw ApiException.badRequest("invalid_parameter", "'selection' is user or search");
        }
    }

    private void stream(ServerResponse response, ComplianceExport.Format format, String name,
                        List<ConversationId> conversations, Principal principal, String reason) throws IOException {
        response.header(HeaderNames.CONTENT_TYPE, format.contentType());
        response.header(HeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"" + name + "." + format.extension() + "\"");
        // the page shows progress against it; the length in bytes is not known before the end
        response.header(HeaderNames.create("X-Export-Conversations"), Integer.toString(conversations.size()));
        try (var export = new ComplianceExport(response.outputStream(), format)) {
            ExportSelection.of(conversations).writeTo(export, feed,
                    id -> accessLog.record(principal.user(), "export-" + format.extension(), id, reason),
                    (id, events) -> { });
        }
    }

    /** One page of the access log, newest first, filtered by actor, conversation and time; itself recorded. */
    private void accessLog(ServerRequest request, ServerResponse response) {
        var principal = compliance(request);
        var filter = accessFilter(request);
        var page = intParameter(request, "page", 1, 1, 10_000);
        var pageSize = intParameter(request, "pageSize", 50, 1, 200);
        var reason = reason(request);
        accessLog.record(principal.user(), "access-log", null, reason, null);
        var found = accessLog.list(filter, page, pageSize);
        ApiRoutes.json(response, Map.of("page", found.page(), "pageSize", found.pageSize(), "total", found.total(),
                "entries", found.entries().stream().map(AccessLogExport::view).toList()));
    }

    /** The access log's entries the filter matches, oldest first, as JSON Lines or CSV; itself recorded. */
    private void exportAccessLog(ServerRequest request, ServerResponse response) throws IOException {
        var principal = compliance(request);
        var format = format(request);
        var filter = accessFilter(request);
        var reason = reason(request);
        accessLog.record(principal.user(), "access-log-export", null, reason, null);
        response.header(HeaderNames.CONTENT_TYPE, format.contentType());
        response.header(HeaderNames.CONTENT_DISPOSITION,
                "attachment; filename=\"access-log." + format.extension() + "\"");
        try (var export = new AccessLogExport(response.outputStream(), format)) {
            accessLog.forEach(filter, export::write);
        }
    }

    private ComplianceSearch.Criteria criteria(ServerRequest request) {
        var words = request.query().first("q").asOptional().map(String::strip).filter(q -> !q.isEmpty());
        if (words.isPresent() && words.get().length() > 200) {
            throw ApiException.badRequest("invalid_query", "'q' is at most 200 characters");
        }
        var participant = userParameter(request, "participant");
        participant.ifPresent(user -> {
            if (!search.tookPart(user)) {
                throw new ApiException(404, "unknown_user", "no conversation of " + user.value() + " is stored");
            }
        });
        var job = request.query().first("job").asOptional().map(String::strip).filter(j -> !j.isEmpty());
        if (job.isPresent() && job.get().length() > 64) {
            throw ApiException.badRequest("invalid_parameter", "'job' is at most 64 characters");
        }
        var from = instantParameter(request, "from");
        var to = instantParameter(request, "to");
        checkRange(from, to);
        return new ComplianceSearch.Criteria(words, participant, job, from, to);
    }

    private ComplianceAccessLog.Filter accessFilter(ServerRequest request) {
        var actor = userParameter(request, "actor");
        var conversation = request.query().first("conversation").asOptional().map(String::strip)
                .filter(c -> !c.isEmpty()).map(text -> {
                    try {
                        return ConversationId.of(text);
                    } catch (DomainRuleViolation e) {
                        throw ApiException.badRequest(e.error().code(), e.getMessage());
                    }
                });
        var from = instantParameter(request, "from");
        var to = instantParameter(request, "to");
        checkRange(from, to);
        return new ComplianceAccessLog.Filter(actor, conversation, from, to);
    }

    private static void checkRange(java.util.Optional<Instant> from, java.util.Optional<Instant> to) {
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw ApiException.badRequest("invalid_parameter", "'from' is before 'to'");
        }
    }

    private static ComplianceExport.Format format(ServerRequest request) {
        return ComplianceExport.Format.parse(request.query().first("format").asOptional().orElse("jsonl"))
                .orElseThrow(() -> ApiException.badRequest("invalid_parameter", "'format' is jsonl or csv"));
    }

    private static java.util.Optional<UserId> userParameter(ServerRequest request, String name) {
        return request.query().first(name).asOptional().map(String::strip).filter(u -> !u.isEmpty()).map(text -> {
            try {
                return UserId.of(text);
            } catch (DomainRuleViolation e) {
                throw ApiException.badRequest(e.error().code(), e.getMessage());
            }
        });
    }

    private static java.util.Optional<Instant> instantParameter(ServerRequest request, String name) {
        return request.query().first(name).asOptional().map(String::strip).filter(t -> !t.isEmpty()).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("invalid_parameter",
                        "'" + name + "' is an ISO-8601 instant like 2026-11-24T09:00:00Z");
            }
        });
    }

    private static int intParameter(ServerRequest request, String name, int otherwise, int min, int max) {
        return request.query().first(name).asOptional().map(text -> {
            try {
                var value = Integer.parseInt(text);
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // answered below
            }
            throw ApiException.badRequest("invalid_parameter", "'" + name + "' is " + min + " to " + max);
        }).orElse(otherwise);
    }

    /** The reason of a read that is not of one conversation, checked as {@link #audited} checks it. */
    private static String reason(ServerRequest request) {
        var reason = request.query().first("reason").asOptional().map(String::strip).filter(r -> !r.isEmpty())
                .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'reason' says why the record is read"));
        if (reason.length() > MAX_REASON) {
            throw ApiException.badRequest("invalid_parameter", "'reason' is at most " + MAX_REASON + " characters");
        }
        return reason;
    }

    /** Every event of the conversation in order, edits and redacted texts included; the access is recorded first. */
    private void replay(ServerRequest request, ServerResponse response) {
        var conversation = audited(request, compliance(request), "replay");
        var events = new java.util.ArrayList<Map<String, Object>>();
        // with each event its stored link, so the console shows the hash of every event beside it
        feed.replayChained(conversation, (stored, previousHash) -> {
            var view = ComplianceExport.view(stored.event());
            view.put("hash", stored.chainHash());
            view.put("scheme", stored.chainScheme());
            events.add(view);
        });
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
        var stored = files.verify(conversation, feed.read(conversation, -1));
        body.put("filesIntact", stored.allIntact());
        body.put("files", stored.view());
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
        var formatText = request.query().first("format").asOptional().orElse("jsonl");
        if (formatText.equalsIgnoreCase("zip")) {
            var conversation = audited(request, principal, "export-zip");
            response.header(HeaderNames.CONTENT_TYPE, AttachmentZipExport.CONTENT_TYPE);
            response.header(HeaderNames.CONTENT_DISPOSITION,
                    "attachment; filename=\"conversation-" + conversation.value() + ".zip\"");
            try (var out = response.outputStream()) {
                zipExport.write(conversation, out);
            }
            return;
        }
        var format = ComplianceExport.Format.parse(formatText)
                .orElseThrow(() -> ApiException.badRequest("invalid_parameter", "'format' is jsonl, csv or zip"));
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
        var reason = reason(request);
        // recorded before anything is read: an access that fails half-way is still on file
        accessLog.record(principal.user(), action, conversation, reason);
        return conversation;
    }
}
