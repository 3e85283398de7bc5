package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every route of the HTTP API answers in one order: who you are (401), then whether you may (403), then whether
 * the request is valid (400). Each route is called with bad parameters three times: without a token, with a token
 * that may not use it, and with one that may; only the last may learn what is wrong with the parameters.
 */
class AccessOrderTest {

    /** Who may use a route, and so which refusal a caller without the right gets. */
    private enum Guard {
        ANY_USER, PARTICIPANT, ADMIN, COMPLIANCE
    }

    /**
     * A route called with bad parameters.
     *
     * @param path        relative path; {@code {c}} is the conversation, {@code {m}} a message in it
     * @param body        the (bad) body, or null for none
     * @param invalidCode what an allowed caller is told about the bad parameters (null: the route takes none)
     */
    private record Route(String method, String path, String body, Guard guard, String invalidCode) {

        URI uri(URI base, String conversation, String message) {
            return base.resolve(path.replace("{c}", conversation).replace("{m}", message));
        }
    }

    private static final List<Route> ROUTES = List.of(
            new Route("GET", "api/me", null, Guard.ANY_USER, null),
            new Route("GET", "api/users/bad*id", null, Guard.ANY_USER, "invalid_user_id"),
            new Route("GET", "api/users?q=%20&limit=0", null, Guard.ANY_USER, "invalid_query"),
            new Route("GET", "api/users?q=rita&limit=0", null, Guard.ANY_USER, "invalid_parameter"),
            new Route("GET", "api/contacts?limit=0", null, Guard.ANY_USER, "invalid_parameter"),
            new Route("POST", "api/conversations", "{", Guard.ANY_USER, "bad_json"),
            new Route("PUT", "api/admin/users/bad*id", "{", Guard.ADMIN, "invalid_user_id"),
            new Route("GET", "api/conversations/{c}", null, Guard.PARTICIPANT, null),
            new Route("POST", "api/conversations/{c}/jobs", "{", Guard.PARTICIPANT, "bad_json"),
            new Route("POST", "api/conversations/{c}/participants", "{", Guard.PARTICIPANT, "bad_json"),
            new Route("DELETE", "api/conversations/{c}/participants/bad*id", null, Guard.PARTICIPANT, "invalid_user_id"),
            new Route("GET", "api/conversations/{c}/messages?limit=0", null, Guard.PARTICIPANT, "invalid_parameter"),
            new Route("POST", "api/conversations/{c}/messages", "{", Guard.PARTICIPANT, "bad_json"),
            new Route("POST", "api/conversations/{c}/messages", "{\"clientMessageId\":\"c\",\"text\":\" \"}",
                    Guard.PARTICIPANT, "empty_text"),
            new Route("PATCH", "api/conversations/{c}/messages/{m}", "{", Guard.PARTICIPANT, "bad_json"),
            new Route("DELETE", "api/conversations/{c}/messages/not-a-message-id", null, Guard.PARTICIPANT,
                    "invalid_message_id"),
            new Route("POST", "api/conversations/{c}/read", "{", Guard.PARTICIPANT, "bad_json"),
            new Route("POST", "api/conversations/{c}/attachments", "{", Guard.PARTICIPANT, "missing_parameter"),
            new Route("GET", "api/conversations/{c}/attachments/not-a-hash", null, Guard.PARTICIPANT,
                    "invalid_attachment_id"),
            new Route("GET", "api/conversations/{c}/attachments/not-a-hash/preview", null, Guard.PARTICIPANT,
                    "invalid_attachment_id"),
            new Route("GET", "api/compliance/conversations/{c}/events", null, Guard.COMPLIANCE, "missing_parameter"),
            new Route("GET", "api/compliance/conversations/{c}/transcript?reason=x", null, Guard.COMPLIANCE,
                    "missing_parameter"),
            new Route("GET", "api/compliance/conversations/{c}/transcript?reason=x&asOf=yesterday", null,
                    Guard.COMPLIANCE, "invalid_parameter"),
            new Route("GET", "api/compliance/conversations/{c}/export?format=xml&reason=x", null, Guard.COMPLIANCE,
                    "invalid_parameter"),
            new Route("GET", "api/compliance/conversations/{c}/verify?reason=%20", null, Guard.COMPLIANCE,
                    "missing_parameter"),
            new Route("POST", "api/compliance/users/bad*id/erasure", "{", Guard.COMPLIANCE, "invalid_user_id"),
            new Route("POST", "api/compliance/users/someone/erasure", "{", Guard.COMPLIANCE, "bad_json"),
            new Route("POST", "api/compliance/users/someone/erasure", "{\"reason\":\" \"}", Guard.COMPLIANCE,
                    "missing_field"),
            new Route("GET", "api/compliance/holds", null, Guard.COMPLIANCE, null),
            new Route("POST", "api/compliance/holds", "{", Guard.COMPLIANCE, "bad_json"),
            new Route("POST", "api/compliance/holds", "{\"kind\":\"USER\",\"id\":\"someone\"}", Guard.COMPLIANCE,
                    "missing_field"),
            new Route("POST", "api/compliance/holds", "{\"kind\":\"USER\",\"id\":\"someone\",\"matter\":\" \"}",
                    Guard.COMPLIANCE, "invalid_matter"),
            new Route("DELETE", "api/compliance/holds/not-a-hold", null, Guard.COMPLIANCE, "invalid_hold_id"),
            new Route("POST", "api/compliance/retention/runs?dryRun=maybe", null, Guard.COMPLIANCE,
                    "invalid_parameter"),
            new Route("GET", "api/compliance/retention/runs?limit=0", null, Guard.COMPLIANCE, "invalid_parameter"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static ChatApplication app;
    private static ApiClient api;
    private static String seekerToken;
    private static String direct;
    private static String message;

    @BeforeAll
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        seekerToken = api.login(seeker);
        direct = api.startConversation(seekerToken, "recruiter-" + UUID.randomUUID().toString().substring(0, 8));
        message = api.post("api/conversations/" + direct + "/messages", seekerToken,
                "{\"clientMessageId\":\"m-1\",\"text\":\"hello\"}").body().path("messageId").asText();
        // the header is a read model, a moment behind the start
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("api/conversations/" + direct, seekerToken).status() == 200);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void withoutATokenEveryRouteAnswers401WhateverElseIsWrong() {
        for (var route : ROUTES) {
            var answer = call(route, direct, null);
            assertThat(answer.status()).as(route.toString()).isEqualTo(401);
            assertThat(answer.errorCode()).as(route.toString()).isEqualTo("unauthenticated");
            var forged = call(route, direct, "not.a.token");
            assertThat(forged.status()).as(route.toString()).isEqualTo(401);
            assertThat(forged.errorCode()).as(route.toString()).isEqualTo("invalid_token");
        }
    }

    @Test
    void aCallerWithoutTheRightIsRefused403BeforeTheParametersAreLookedAt() {
        var outsider = api.login("outsider-" + UUID.randomUUID());
        var nowhere = UUID.randomUUID().toString();
        for (var route : ROUTES) {
            switch (route.guard()) {
                case ANY_USER -> {
                    // nothing to refuse: any signed-in user may call these
                }
                case PARTICIPANT -> {
                    // a conversation one is not in and one that does not exist answer exactly alike
                    for (var conversation : List.of(direct, nowhere)) {
                        var answer = call(route, conversation, outsider);
                        assertThat(answer.status()).as(route + " in " + conversation).isEqualTo(403);
                        assertThat(answer.errorCode()).as(route + " in " + conversation).isEqualTo("not_a_participant");
                    }
                }
                case ADMIN, COMPLIANCE -> {
                    var answer = call(route, direct, seekerToken);
                    assertThat(answer.status()).as(route.toString()).isEqualTo(403);
                    assertThat(answer.errorCode()).as(route.toString()).isEqualTo("forbidden");
                }
            }
        }
    }

    @Test
    void aCallerWithTheRightLearnsWhatIsWrongWithTheParameters() {
        var admin = api.loginWithRoles("admin-" + UUID.randomUUID(), "admin");
        var auditor = api.loginWithRoles("auditor-" + UUID.randomUUID(), "compliance");
        for (var route : ROUTES) {
            var token = switch (route.guard()) {
                case ANY_USER, PARTICIPANT -> seekerToken;
                case ADMIN -> admin;
                case COMPLIANCE -> auditor;
            };
            var answer = call(route, direct, token);
            if (route.invalidCode() == null) {
                assertThat(answer.status()).as(route.toString()).isEqualTo(200);
            } else {
                assertThat(answer.status()).as(route.toString()).isEqualTo(400);
                assertThat(answer.errorCode()).as(route.toString()).isEqualTo(route.invalidCode());
            }
        }
    }

    @Test
    void anOutsiderCannotTellAGroupFromADirectConversationNorEitherFromNone() {
        var outsider = api.login("outsider-" + UUID.randomUUID());
        var group = api.post("api/conversations", seekerToken,
                "{\"participants\":[\"panel-a\",\"panel-b\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        for (var conversation : List.of(direct, group, UUID.randomUUID().toString())) {
            var add = api.post("api/conversations/" + conversation + "/participants", outsider, "{\"userId\":\"me\"}");
            var remove = api.delete("api/conversations/" + conversation + "/participants/panel-a", outsider);
            for (var answer : List.of(add, remove)) {
                assertThat(answer.status()).as(conversation).isEqualTo(403);
                assertThat(answer.body().toString()).as(conversation).isEqualTo(
                        "{\"error\":{\"code\":\"not_a_participant\",\"message\":\"not a participant of this conversation\"}}");
            }
        }
    }

    private static ApiClient.Response call(Route route, String conversation, String token) {
        var request = HttpRequest.newBuilder(route.uri(app.uri(), conversation, message)).timeout(Duration.ofSeconds(10))
                .method(route.method(), route.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(route.body()));
        if (route.body() != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            var response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiClient.Response(response.statusCode(),
                    response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
