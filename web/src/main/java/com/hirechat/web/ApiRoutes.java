package com.hirechat.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.LinkedHashMap;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.UserId;
import com.hirechat.projections.Contact;
import com.hirechat.projections.ContactsCursor;
import com.hirechat.projections.ReadModelQueries;

/** The JSON HTTP API under {@code /api} (see docs/api.md). */
final class ApiRoutes implements HttpService {

    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 200;

    private final Authenticator authenticator;
    private final TokenService tokens;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final boolean devLogin;

    ApiRoutes(Authenticator authenticator, TokenService tokens, ChatCommands commands, ReadModelQueries queries,
              boolean devLogin) {
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.commands = commands;
        this.queries = queries;
        this.devLogin = devLogin;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/dev/login", this::devLogin)
                .get("/me", this::me)
                .post("/conversations", this::startConversation)
                .get("/conversations/{id}/messages", this::history)
                .post("/conversations/{id}/messages", this::sendMessage)
                .get("/contacts", this::contacts)
                .any(this::notFound);
    }

    private void devLogin(ServerRequest request, ServerResponse response) {
        if (!devLogin) {
            throw new ApiException(404, "dev_login_disabled", "development login is off on this server");
        }
        var body = body(request);
        var user = Json.requiredValue(body, "userId", UserId::of);
        json(response, Map.of("userId", user.value(), "token", tokens.mint(user)));
    }

    private void me(ServerRequest request, ServerResponse response) {
        json(response, Map.of("userId", authenticator.require(request).value()));
    }

    private void startConversation(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request);
        var counterpart = Json.requiredValue(body(request), "with", UserId::of);
        if (counterpart.equals(user)) {
            throw ApiException.badRequest("invalid_participants", "a conversation needs someone else");
        }
        var conversation = commands.startDirect(user, counterpart);
        json(response, Map.of("conversationId", conversation.value(), "counterpartId", counterpart.value()));
    }

    private void history(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request);
        var conversation = conversationFromPath(request);
        var before = longParameter(request, "before");
        var limit = limit(request);
        if (!queries.isParticipant(conversation, user)) {
            throw Failures.notAParticipant();
        }
        var messages = queries.history(conversation, before, limit);
        var page = new LinkedHashMap<String, Object>();
        page.put("messages", messages);
        page.put("nextBefore", messages.size() == limit ? messages.getLast().seq() : null);
        json(response, page);
    }

    private void sendMessage(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request);
        var conversation = conversationFromPath(request);
        var body = body(request);
        var clientMessageId = Json.requiredValue(body, "clientMessageId", ClientMessageId::of);
        var accepted = commands.send(conversation, user, clientMessageId, Json.requiredText(body, "text"));
        json(response, ServerFrame.Ack.of(conversation.value(), clientMessageId.value(), accepted));
    }

    private void contacts(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request);
        var limit = limit(request);
        var after = request.query().first("after").asOptional().map(text -> ContactsCursor.decode(text)
                .orElseThrow(() -> ApiException.badRequest("invalid_parameter", "'after' is not a cursor from this API")));
        List<Contact> contacts = queries.contacts(user, after, limit);
        var page = new LinkedHashMap<String, Object>();
        page.put("contacts", contacts.stream().map(ApiRoutes::contactView).toList());
        page.put("nextAfter", contacts.size() == limit ? ContactsCursor.after(contacts.getLast()).encode() : null);
        json(response, page);
    }

    private static Map<String, Object> contactView(Contact contact) {
        var view = new LinkedHashMap<String, Object>();
        view.put("conversationId", contact.conversationId());
        view.put("counterpartId", contact.counterpartId());
        // profiles arrive with the host site's admin API; until then the id is the name
        view.put("displayName", contact.counterpartId());
        view.put("avatarUrl", null);
        view.put("lastMessagePreview", contact.lastMessagePreview());
        view.put("lastMessageSenderId", contact.lastMessageSenderId());
        view.put("lastActivity", contact.lastActivity());
        view.put("lastSeq", contact.lastSeq());
        view.put("unreadCount", contact.unreadCount());
        return view;
    }

    private void notFound(ServerRequest request, ServerResponse response) {
        throw new ApiException(404, "not_found", "no such endpoint");
    }

    private static ConversationId conversationFromPath(ServerRequest request) {
        try {
            return ConversationId.of(request.path().pathParameters().get("id"));
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
    }

    private static int limit(ServerRequest request) {
        var limit = longParameter(request, "limit").orElse((long) DEFAULT_PAGE);
        if (limit < 1 || limit > MAX_PAGE) {
            throw ApiException.badRequest("invalid_parameter", "'limit' must be between 1 and " + MAX_PAGE);
        }
        return limit.intValue();
    }

    private static Optional<Long> longParameter(ServerRequest request, String name) {
        return request.query().first(name).asOptional().map(text -> {
            try {
                var value = Long.parseLong(text);
                if (value < 0) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid_parameter", "'" + name + "' must be a non-negative integer");
            }
        });
    }

    private static ObjectNode body(ServerRequest request) {
        return Json.parseObject(Json.utf8(request.content().as(byte[].class)));
    }

    static void json(ServerResponse response, Object value) {
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** The JSON of every HTTP error: {@code {"error": {"code": ..., "message": ...}}}. */
    record ErrorBody(Detail error) {
        record Detail(String code, String message) {
        }
    }

    static void error(ServerResponse response, ApiException error) {
        response.status(Status.create(error.status()));
        json(response, new ErrorBody(new ErrorBody.Detail(error.code(), error.getMessage())));
    }
}
