package com.hirechat.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.MessageText;
import com.hirechat.domain.UserId;
import com.hirechat.projections.ReadModelQueries;
import com.hirechat.projections.TutorialSends;

/**
 * The tutorial's HTTP routes with its field names, over the same commands and read models as {@link ApiRoutes}
 * (docs/migrating-from-the-tutorial.md): {@code POST /api/messages}, {@code GET /api/messages?roomId=},
 * {@code GET /api/chat/contacts}.
 */
final class TutorialRoutes implements HttpService {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 200;

    private final Authenticator authenticator;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final RateLimiter rateLimiter;
    private final TutorialDoubleSend doubleSend;

    TutorialRoutes(Authenticator authenticator, ChatCommands commands, ReadModelQueries queries,
                   RateLimiter rateLimiter, TutorialDoubleSend doubleSend) {
        this.authenticator = authenticator;
        this.commands = commands;
        this.queries = queries;
        this.rateLimiter = rateLimiter;
        this.doubleSend = doubleSend;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/messages", this::save)
                .get("/messages", this::history)
                .get("/chat/contacts", this::contacts);
    }

    /**
     * Saves a message: the room from {@code roomId}, else from {@code recipientId}; the sender is the caller whatever
     * {@code senderId} says. Without a {@code clientMessageId} the tutorial's double send is recognised as one message.
     */
    private void save(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var body = ApiRoutes.body(request);
        var room = room(body, user);
        var conversation = room.conversation();
        // checked before the conversation is started: a refused message starts nothing
        var text = domain(() -> MessageText.require(Json.requiredText(body, "text")));
        if (!queries.isParticipant(conversation, user)) {
            commands.startDirect(user, room.counterpart());
        }
        var clientMessageId = body.hasNonNull("clientMessageId")
                ? Json.requiredValue(body, "clientMessageId", ClientMessageId::of)
                : doubleSend.clientMessageId(conversation, user, text,
                        TutorialSends.Channel.HTTP);
        rateLimiter.acquire(user);
        var accepted = commands.send(conversation, user, clientMessageId, text);
        var view = new LinkedHashMap<String, Object>();
        view.put("senderId", user.value());
        view.put("recipientId", room.counterpart().value());
        view.put("text", text);
        view.put("roomId", room.name());
        view.put("conversationId", conversation.value());
        view.put("clientMessageId", clientMessageId.value());
        view.put("messageId", accepted.messageId().value());
        view.put("seq", accepted.seq());
        view.put("sentAt", accepted.sentAt());
        response.status(io.helidon.http.Status.CREATED_201);
        ApiRoutes.json(response, view);
    }

    private static TutorialRoom room(ObjectNode body, UserId user) {
        var roomId = Json.optionalText(body, "roomId");
        if (roomId.isPresent()) {
            return TutorialRoom.parse(roomId.get(), user);
        }
        var recipient = Json.requiredValue(body, "recipientId", UserId::of);
        return TutorialRoom.parse(TutorialRoom.nameOf(user, recipient), user);
    }

    /** The room's latest messages (up to {@code limit}), oldest first, as the tutorial's page appends them. */
    private void history(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var roomId = request.query().first("roomId").asOptional()
                .orElseThrow(() -> ApiException.badRequest("missing_parameter", "'roomId' is required"));
        var room = TutorialRoom.parse(roomId, user);
        var limit = limit(request);
        var participation = queries.participation(room.conversation(), user);
        var messages = new ArrayList<Map<String, Object>>();
        if (participation.isPresent()) {
            var page = queries.history(room.conversation(), Optional.empty(), participation.get().visibleBelow(), limit);
            for (var message : page.reversed()) {
                var view = new LinkedHashMap<String, Object>();
                view.put("senderId", message.senderId());
                view.put("recipientId", message.senderId().equals(user.value()) ? room.counterpart().value()
                        : user.value());
                view.put("text", message.text());
                view.put("roomId", room.name());
                view.put("seq", message.seq());
                view.put("messageId", message.messageId());
                view.put("clientMessageId", message.clientMessageId());
                view.put("sentAt", message.sentAt());
                view.put("createdAt", message.sentAt());
                view.put("senderName", message.senderName());
                view.put("editedAt", message.editedAt());
                view.put("redacted", message.redacted());
                view.put("erased", message.erased());
                messages.add(view);
            }
        }
        ApiRoutes.json(response, messages);
    }

    /** The people the caller has direct conversations with, most recent first, with name and avatar from profiles. */
    private void contacts(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var limit = limit(request);
        var contacts = new ArrayList<Map<String, Object>>();
        for (var contact : queries.contacts(user, Optional.empty(), limit)) {
            if (!"DIRECT".equals(contact.kind()) || contact.counterpartId() == null) {
                continue; // the tutorial knows only two-person rooms
            }
            var counterpart = UserId.of(contact.counterpartId());
            var view = new LinkedHashMap<String, Object>();
            view.put("id", counterpart.value());
            view.put("name", contact.counterpartName() != null ? contact.counterpartName() : counterpart.value());
            view.put("avatar", contact.counterpartAvatarUrl());
            view.put("role", contact.counterpartRole());
            view.put("roomId", TutorialRoom.nameOf(user, counterpart));
            view.put("conversationId", contact.conversationId());
            view.put("lastMessage", contact.lastMessagePreview());
            view.put("lastMessageAt", contact.lastActivity());
            view.put("unreadCount", contact.unreadCount());
            contacts.add(view);
        }
        ApiRoutes.json(response, contacts);
    }

    private static int limit(ServerRequest request) {
        var text = request.query().first("limit").asOptional();
        if (text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            var limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("invalid_parameter", "'limit' must be between 1 and " + MAX_LIMIT);
    }

    private static <T> T domain(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
    }
}
