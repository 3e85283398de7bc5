package com.hirechat.web;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hirechat.commands.ChatCommands;
import com.hirechat.domain.ClientMessageId;
import com.hirechat.domain.ConversationId;
import com.hirechat.domain.DomainRuleViolation;
import com.hirechat.domain.JobReference;
import com.hirechat.domain.MessageId;
import com.hirechat.domain.MessageText;
import com.hirechat.domain.Profile;
import com.hirechat.domain.ProfileRole;
import com.hirechat.domain.UserId;
import com.hirechat.projections.Contact;
import com.hirechat.projections.ContactsCursor;
import com.hirechat.projections.HistoryMessage;
import com.hirechat.projections.MessageAttachment;
import com.hirechat.projections.ReadModelQueries;

/** The JSON HTTP API under {@code /api} (see docs/api.md). */
final class ApiRoutes implements HttpService {

    private static final int DEFAULT_PAGE = 50;
    private static final int MAX_PAGE = 200;
    private static final int STATUS_NO_CONTENT = 204;
    private static final int DEFAULT_USER_RESULTS = 10;
    private static final int MAX_USER_RESULTS = 50;
    private static final int MAX_QUERY_LENGTH = 64;
    /** The largest JSON body of any route (docs/api.md). */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private final Authenticator authenticator;
    private final TokenService tokens;
    private final ChatCommands commands;
    private final ReadModelQueries queries;
    private final RateLimiter rateLimiter;
    private final boolean devLogin;
    private final Notifications notifications;
    private final Attachments attachments;
    private final AttachmentRoutes attachmentRoutes;

    ApiRoutes(Authenticator authenticator, TokenService tokens, ChatCommands commands, ReadModelQueries queries,
              RateLimiter rateLimiter, boolean devLogin, Notifications notifications, Attachments attachments) {
        this.notifications = notifications;
        this.attachments = attachments;
        this.attachmentRoutes = new AttachmentRoutes(authenticator, queries, attachments);
        this.rateLimiter = rateLimiter;
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
                .get("/users", this::searchUsers)
                .get("/users/{userId}", this::profile)
                .put("/admin/users/{userId}", this::putProfile)
                .post("/conversations", this::startConversation)
                .get("/conversations/{id}", this::conversation)
                .post("/conversations/{id}/jobs", this::linkJob)
                .post("/conversations/{id}/participants", this::addParticipant)
                .delete("/conversations/{id}/participants/{userId}", this::removeParticipant)
                .get("/conversations/{id}/messages", this::history)
                .post("/conversations/{id}/messages", this::sendMessage)
                .patch("/conversations/{id}/messages/{messageId}", this::editMessage)
                .delete("/conversations/{id}/messages/{messageId}", this::redactMessage)
                .post("/conversations/{id}/read", this::markRead)
                .post("/conversations/{id}/attachments", attachmentRoutes::upload)
                .get("/conversations/{id}/attachments/{sha256}", attachmentRoutes::download)
                .get("/conversations/{id}/attachments/{sha256}/preview", attachmentRoutes::preview)
                .get("/contacts", this::contacts)
                .any(this::notFound);
    }

    // --- accounts ---

    private void devLogin(ServerRequest request, ServerResponse response) {
        if (!devLogin) {
            throw new ApiException(404, "dev_login_disabled", "development login is off on this server");
        }
        var body = body(request);
        var user = Json.requiredValue(body, "userId", UserId::of);
        var roles = new HashSet<String>();
        roles.add(Principal.USER);
        var requested = body.get("roles");
        if (requested != null && !requested.isNull()) {
            if (!requested.isArray()) {
                throw ApiException.badRequest("invalid_field", "'roles' must be an array of strings");
            }
            for (var role : requested) {
                if (!role.isTextual() || !List.of(Principal.USER, Principal.ADMIN, Principal.COMPLIANCE)
                        .contains(role.textValue())) {
                    throw ApiException.badRequest("invalid_field", "roles are user, admin and compliance");
                }
                roles.add(role.textValue());
            }
        }
        var profile = devProfile(body);
        // stored before the answer, so the people this user talks to see the name from their first message on
        profile.ifPresent(chosen -> commands.putProfile(user, chosen));
        if (profile.isPresent() && !notifications.hasAddress(user)) {
            // so that a new user of the local run sees a digest arrive at /dev/mail; only captured, never sent
            notifications.putAddress(user, Optional.of(DemoJobBoard.developmentAddress(user)));
        }
        json(response, Map.of("userId", user.value(), "roles", roles, "token", tokens.mint(user, roles)));
    }

    /** The profile a development sign-in asks for: a display name, and a role ({@code other} unless given). */
    private static Optional<Profile> devProfile(JsonNode body) {
        var role = Json.optionalText(body, "profileRole").map(ApiRoutes::parseRole);
        var name = Json.optionalText(body, "displayName");
        if (name.isEmpty()) {
            if (role.isPresent()) {
                throw ApiException.badRequest("missing_field", "'profileRole' needs a 'displayName'");
            }
            return Optional.empty();
        }
        return Optional.of(domainValue(() -> new Profile(name.get(), null, role.orElse(ProfileRole.OTHER))));
    }

    private void me(ServerRequest request, ServerResponse response) {
        var principal = authenticator.require(request);
        var view = new LinkedHashMap<String, Object>();
        view.put("userId", principal.user().value());
        view.put("roles", principal.roles());
        view.put("profile", queries.profile(principal.user()).orElse(null));
        json(response, view);
    }

    private void profile(ServerRequest request, ServerResponse response) {
        authenticator.require(request);
        var user = pathValue(request, "userId", UserId::of);
        json(response, queries.profile(user)
                .orElseThrow(() -> new ApiException(404, "unknown_user", "no profile for this user")));
    }

    private void searchUsers(ServerRequest request, ServerResponse response) {
        authenticator.require(request);
        var text = request.query().first("q").asOptional().map(String::strip).orElse("");
        if (text.isEmpty() || text.length() > MAX_QUERY_LENGTH) {
            throw ApiException.badRequest("invalid_query", "'q' is 1-" + MAX_QUERY_LENGTH + " characters");
        }
        var limit = longParameter(request, "limit").orElse((long) DEFAULT_USER_RESULTS);
        if (limit < 1 || limit > MAX_USER_RESULTS) {
            throw ApiException.badRequest("invalid_parameter", "'limit' must be between 1 and " + MAX_USER_RESULTS);
        }
        json(response, Map.of("users", queries.searchUsers(text, limit.intValue())));
    }

    private void putProfile(ServerRequest request, ServerResponse response) {
        var principal = authenticator.require(request);
        if (!principal.isAdmin()) {
            throw new ApiException(403, "forbidden", "the admin role is required");
        }
        var user = pathValue(request, "userId", UserId::of);
        var body = body(request);
        var role = Json.requiredValue(body, "role", text -> parseRole(text));
        var profile = domainValue(() -> new Profile(Json.requiredText(body, "displayName"),
                Json.optionalText(body, "avatarUrl").orElse(null), role));
        // absent: the address stays as it is; null: removed
        var email = body.has("email") ? java.util.Optional.of(Json.optionalText(body, "email").map(ApiRoutes::email))
                : java.util.Optional.<java.util.Optional<String>>empty();
        commands.putProfile(user, profile);
        email.ifPresent(address -> notifications.putAddress(user, address));
        status(response, STATUS_NO_CONTENT);
    }

    /** An address for the digests: one {@code @}, a dotted domain, at most 254 characters (docs/api.md). */
    private static String email(String text) {
        var address = text.strip();
        if (address.length() > 254 || !address.matches(
                "[^@\\s\"<>(),;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")) {
            throw ApiException.badRequest("invalid_email", "'email' must be an address like name@example.com");
        }
        return address;
    }

    private static ProfileRole parseRole(String text) {
        try {
            return ProfileRole.valueOf(text.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_profile", "role is one of seeker, recruiter, company, other");
        }
    }

    // --- conversations ---

    private void startConversation(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var body = body(request);
        if (body.has("participants")) {
            // the caller may list themselves or not (docs/api.md's example does): they are in the group either way
            var others = userList(body, "participants").stream().filter(other -> !other.equals(user)).toList();
            var title = Json.requiredText(body, "title");
            var conversation = commands.startGroup(user, others, title);
            json(response, Map.of("conversationId", conversation.value(), "kind", "GROUP"));
            return;
        }
        var counterpart = Json.requiredValue(body, "with", UserId::of);
        if (counterpart.equals(user)) {
            throw ApiException.badRequest("invalid_participants", "a conversation needs someone else");
        }
        var job = optionalJob(body);
        var conversation = commands.startDirect(user, counterpart, job);
        json(response, Map.of("conversationId", conversation.value(), "kind", "DIRECT",
                "counterpartId", counterpart.value()));
    }

    private void conversation(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var conversation = conversationFromPath(request);
        // former participants see it as it was at their removal, as they keep the history before it
        var participation = queries.participation(conversation, user).orElseThrow(Failures::notAParticipant);
        // the header is a read model: right after a start it may not be there yet
        var header = queries.conversation(conversation, participation.visibleBelow())
                .orElseThrow(() -> new ApiException(404, "not_ready", "the conversation is still being set up; retry"));
        var view = Json.MAPPER.convertValue(header, ObjectNode.class);
        // their own removal is the last change they see
        var upTo = participation.isCurrent() ? Long.MAX_VALUE : participation.leftSeq();
        view.set("membership", Json.MAPPER.valueToTree(queries.membership(conversation, upTo)));
        json(response, view);
    }

    private void linkJob(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        commands.linkJob(caller.conversation(), caller.user(), job(body(request)));
        status(response, STATUS_NO_CONTENT);
    }

    private void addParticipant(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        commands.addParticipant(caller.conversation(), caller.user(),
                Json.requiredValue(body(request), "userId", UserId::of));
        status(response, STATUS_NO_CONTENT);
    }

    private void removeParticipant(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        commands.removeParticipant(caller.conversation(), caller.user(), pathValue(request, "userId", UserId::of));
        status(response, STATUS_NO_CONTENT);
    }

    // --- messages ---

    private void history(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var conversation = conversationFromPath(request);
        // former participants keep what came before they left
        var participation = queries.participation(conversation, user).orElseThrow(Failures::notAParticipant);
        var before = longParameter(request, "before");
        var limit = limit(request);
        var messages = queries.history(conversation, before, participation.visibleBelow(), limit);
        var page = new LinkedHashMap<String, Object>();
        page.put("messages", withAttachments(conversation, messages));
        page.put("nextBefore", messages.size() == limit ? messages.getLast().seq() : null);
        json(response, page);
    }

    /** Each message's files beside it ({@code attachments}, empty for none), read in one query for the page. */
    private List<ObjectNode> withAttachments(ConversationId conversation, List<HistoryMessage> messages) {
        var files = messages.isEmpty() ? List.<MessageAttachment>of()
                : queries.attachments(conversation, messages.getLast().seq(), messages.getFirst().seq());
        var views = new ArrayList<ObjectNode>();
        for (var message : messages) {
            var view = Json.MAPPER.convertValue(message, ObjectNode.class);
            var list = view.putArray("attachments");
            if (!message.redacted()) {
                files.stream().filter(file -> file.seq() == message.seq())
                        .forEach(file -> list.add(Json.MAPPER.valueToTree(AttachmentView.of(file))));
            }
            views.add(view);
        }
        return views;
    }

    // writes: who, then whether they may, then whether the request is valid, and only then the rate limit,
    // so invalid requests do not use up the sender's allowance

    private void sendMessage(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        var body = body(request);
        var clientMessageId = Json.requiredValue(body, "clientMessageId", ClientMessageId::of);
        var files = AttachmentRefs.resolve(body, caller.conversation(), caller.user(), attachments.uploads());
        var text = AttachmentRefs.text(body, files);
        if (files.isEmpty() || !text.isBlank()) {
            text = validText(text);
        }
        rateLimiter.acquire(caller.user());
        var accepted = commands.send(caller.conversation(), caller.user(), clientMessageId, text, files);
        json(response, ServerFrame.Ack.of(caller.conversation().value(), clientMessageId.value(), accepted));
    }

    private void editMessage(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        var message = pathValue(request, "messageId", MessageId::of);
        var text = validText(Json.requiredText(body(request), "text"));
        rateLimiter.acquire(caller.user());
        commands.edit(caller.conversation(), caller.user(), message, text);
        status(response, STATUS_NO_CONTENT);
    }

    private void redactMessage(ServerRequest request, ServerResponse response) {
        var principal = authenticator.require(request);
        var conversation = conversationFromPath(request);
        if (!principal.isAdmin()) {
            // admins remove messages in any conversation (moderation); everyone else only where they take part
            requireParticipant(conversation, principal.user());
        }
        var message = pathValue(request, "messageId", MessageId::of);
        rateLimiter.acquire(principal.user());
        commands.redact(conversation, principal.user(), principal.isAdmin(), message);
        status(response, STATUS_NO_CONTENT);
    }

    private void markRead(ServerRequest request, ServerResponse response) {
        var caller = participant(request);
        var upToSeq = Json.optionalNonNegativeLong(body(request), "upToSeq")
                .orElseThrow(() -> ApiException.badRequest("missing_field", "'upToSeq' is required"));
        commands.markRead(caller.conversation(), caller.user(), upToSeq);
        status(response, STATUS_NO_CONTENT);
    }

    // --- contacts ---

    private void contacts(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
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
        var group = "GROUP".equals(contact.kind());
        var view = new LinkedHashMap<String, Object>();
        view.put("conversationId", contact.conversationId());
        view.put("kind", contact.kind());
        view.put("counterpartId", contact.counterpartId());
        view.put("displayName", group ? contact.title()
                : contact.counterpartName() != null ? contact.counterpartName() : contact.counterpartId());
        view.put("avatarUrl", group ? null : contact.counterpartAvatarUrl());
        view.put("counterpartRole", contact.counterpartRole());
        view.put("lastMessagePreview", contact.lastMessagePreview());
        view.put("lastMessageSenderId", contact.lastMessageSenderId());
        view.put("lastMessageRemoved", contact.lastMessageRedacted());
        view.put("lastMessageErased", contact.lastMessageErased());
        view.put("lastActivity", contact.lastActivity());
        view.put("lastSeq", contact.lastEventSeq());
        view.put("readUpTo", contact.readUpTo());
        view.put("unreadCount", contact.unreadCount());
        view.put("left", contact.removed());
        return view;
    }

    private void notFound(ServerRequest request, ServerResponse response) {
        throw new ApiException(404, "not_found", "no such endpoint");
    }

    // --- helpers ---

    /** A signed-in caller and the conversation of the path, which they take part in. */
    private record Caller(UserId user, ConversationId conversation) {
    }

    /**
     * Authenticates, then authorises, before the request is looked at any further: an outsider learns nothing
     * about a conversation, not even whether it exists or is a group, from the answer (403 not_a_participant).
     */
    private Caller participant(ServerRequest request) {
        var user = authenticator.require(request).user();
        var conversation = conversationFromPath(request);
        requireParticipant(conversation, user);
        return new Caller(user, conversation);
    }

    /** The domain's own text rules, checked before the rate limit is charged. */
    private static String validText(String text) {
        return domainValue(() -> MessageText.require(text));
    }

    private void requireParticipant(ConversationId conversation, UserId user) {
        if (!queries.isParticipant(conversation, user)) {
            throw Failures.notAParticipant();
        }
    }

    private static Optional<JobReference> optionalJob(JsonNode body) {
        var job = body.get("job");
        if (job == null || job.isNull()) {
            return Optional.empty();
        }
        if (!job.isObject()) {
            throw ApiException.badRequest("invalid_field", "'job' must be an object with 'id' and 'title'");
        }
        return Optional.of(job(job));
    }

    private static JobReference job(JsonNode job) {
        var id = Json.requiredText(job, "id");
        var title = Json.requiredText(job, "title");
        return domainValue(() -> new JobReference(id, title));
    }

    private static List<UserId> userList(JsonNode body, String field) {
        var node = body.get(field);
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("invalid_field", "'" + field + "' must be an array of user ids");
        }
        if (node.size() > com.hirechat.domain.StartConversation.MAX_GROUP_SIZE) {
            throw ApiException.badRequest("invalid_participants", "too many participants");
        }
        var users = new ArrayList<UserId>();
        for (var element : node) {
            if (!element.isTextual()) {
                throw ApiException.badRequest("invalid_field", "'" + field + "' must be an array of user ids");
            }
            users.add(domainValue(() -> UserId.of(element.textValue())));
        }
        return users;
    }

    private static <T> T domainValue(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (DomainRuleViolation e) {
            throw ApiException.badRequest(e.error().code(), e.getMessage());
        }
    }

    private static ConversationId conversationFromPath(ServerRequest request) {
        return pathValue(request, "id", ConversationId::of);
    }

    private static <T> T pathValue(ServerRequest request, String name, java.util.function.Function<String, T> parse) {
        var text = request.path().pathParameters().get(name);
        return domainValue(() -> parse.apply(text));
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

    /**
     * The request's JSON body, at most {@link #MAX_BODY_BYTES}: the server admits larger requests (attachments), so JSON
     * bodies are bounded here, before they are buffered.
     */
    static ObjectNode body(ServerRequest request) {
        if (!request.content().hasEntity()) {
            throw ApiException.badRequest("bad_json", "a JSON body is required");
        }
        var declared = request.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        byte[] bytes;
        try (var in = request.content().inputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        return Json.parseObject(Json.utf8(bytes));
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "a JSON body has at most " + MAX_BODY_BYTES + " bytes");
    }

    private static void status(ServerResponse response, int status) {
        response.status(Status.create(status));
        response.send();
    }

    static void json(ServerResponse response, Object value) {
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(Json.write(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
