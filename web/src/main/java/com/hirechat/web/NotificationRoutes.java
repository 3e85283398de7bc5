package com.hirechat.web;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import com.hirechat.domain.UserId;

/**
 * Email digests over HTTP (docs/notifications.md): a user's preferences under {@code /api/me/preferences}, the
 * signed one-click unsubscribe link ({@code /unsubscribe}, RFC 8058) and, in the development run only, the mail it
 * captured instead of sending ({@code /dev/mail}).
 */
final class NotificationRoutes {

    private final Authenticator authenticator;
    private final Notifications notifications;

    NotificationRoutes(Authenticator authenticator, Notifications notifications) {
        this.authenticator = authenticator;
        this.notifications = notifications;
    }

    /** {@code GET} and {@code PUT /api/me/preferences}. */
    HttpService preferences() {
        return rules -> rules.get("/", this::getPreferences).put("/", this::putPreferences);
    }

    /** {@code /unsubscribe} (no bearer token: the signed token is the credential) and {@code /dev/mail}. */
    HttpService pages() {
        return (HttpRules rules) -> rules.get("/unsubscribe", this::confirmPage)
                .post("/unsubscribe", this::unsubscribe)
                .get("/dev/mail", this::devMail);
    }

    private void getPreferences(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        ApiRoutes.json(response, view(user));
    }

    private void putPreferences(ServerRequest request, ServerResponse response) {
        var user = authenticator.require(request).user();
        var preferences = NotificationPreferences.parse(ApiRoutes.body(request));
        notifications.putPreferences(user, preferences);
        ApiRoutes.json(response, view(user));
    }

    private LinkedHashMap<String, Object> view(UserId user) {
        var view = new LinkedHashMap<String, Object>(notifications.preferences(user).view());
        view.put("hasEmail", notifications.hasAddress(user));
        return view;
    }

    private UserId target(ServerRequest request) {
        var token = request.query().first("token").asOptional().orElse("");
        return notifications.unsubscribeTarget(token).orElseThrow(() -> ApiException.badRequest(
                "invalid_unsubscribe_token", "this unsubscribe link is not valid (altered or incomplete)"));
    }

    private void confirmPage(ServerRequest request, ServerResponse response) {
        target(request);
        var token = request.query().first("token").get();
        // GET only asks: mail scanners follow links, and must not unsubscribe anyone by doing so
        html(response, "<h1>Stop email digests?</h1><p>You will no longer get emails about unread chat messages."
                + " You can turn them on again in the chat's settings.</p>"
                + "<form method=\"post\" action=\"/unsubscribe?token=" + escape(token) + "\">"
                + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    private void unsubscribe(ServerRequest request, ServerResponse response) {
        var user = target(request);
        notifications.unsubscribe(user);
        html(response, "<h1>Unsubscribed</h1><p>You will no longer get email digests.</p>");
    }

    private void devMail(ServerRequest request, ServerResponse response) {
        var mail = notifications.capturedMail()
                .orElseThrow(() -> new ApiException(404, "not_found", "no such resource"));
        if (request.query().first("format").asOptional().filter("json"::equals).isPresent()) {
            ApiRoutes.json(response, java.util.Map.of("mail", mail));
            return;
        }
        var page = new StringBuilder("<h1>Mail captured by the development run</h1>"
                + "<p>No SMTP server is configured (HIRECHAT_SMTP_HOST), so digests are shown here instead of sent."
                + " Newest first.</p>");
        for (var message : mail) {
            page.append("<article><h2>").append(escape(String.valueOf(message.get("subject")))).append("</h2><p>To: ")
                    .append(escape(String.valueOf(message.get("to")))).append("</p><pre>")
                    .append(escape(String.valueOf(message.get("body")))).append("</pre></article>");
        }
        html(response, page.toString());
    }

    private static void html(ServerResponse response, String body) {
        response.header(HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=UTF-8"));
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(("<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>HireChat</title><body>" + body
                + "</body></html>").getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
