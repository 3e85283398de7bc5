package com.hirechat.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.hirechat.domain.ConversationEvent;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.projections.ComplianceAccessLog;
import com.hirechat.projections.ConversationEventFeed;

/** {@code /api/compliance}: the legal record, straight from the event store, for the {@code compliance} role only. */
final class ComplianceRoutes implements HttpService {

    private static final int MAX_REASON = 1000;

    private final Authenticator authenticator;
    private final ConversationEventFeed feed;
    private final ComplianceAccessLog accessLog;

    ComplianceRoutes(Authenticator authenticator, ConversationEventFeed feed, ComplianceAccessLog accessLog) {
        this.authenticator = authenticator;
        this.feed = feed;
        this.accessLog = accessLog;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/conversations/{id}/events", this::replay);
    }

    /** Every event of the conversation in order, edits and redacted texts included; the access is recorded first. */
    private void replay(ServerRequest request, ServerResponse response) {
        var principal = authenticator.require(request);
        if (!principal.roles().contains(Principal.COMPLIANCE)) {
            throw new ApiException(403, "forbidden", "the compliance role is required");
        }
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
        accessLog.record(principal.user(), "replay", conversation, reason);
        List<Map<String, Object>> events = feed.read(conversation, -1).stream().map(ComplianceRoutes::view).toList();
        ApiRoutes.json(response, Map.of("conversationId", conversation.value(), "events", events));
    }

    private static Map<String, Object> view(ConversationEvent event) {
        var view = new LinkedHashMap<String, Object>();
        view.put("seq", event.seq());
        view.put("type", event.getClass().getSimpleName());
        view.put("event", event);
        return view;
    }
}
