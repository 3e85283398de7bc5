package com.hirechat.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real HTTP client for the JSON API, as a browser or the host site would call it. */
final class ApiClient {

    record Response(int status, JsonNode body) {

        String errorCode() {
            return body.path("error").path("code").asText(null);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ApiClient(URI base) {
        this.base = base;
    }

    URI base() {
        return base;
    }

    /** A token for the user, signed as the host site signs them. */
    String login(String userId) {
        return TestServers.token(userId);
    }

    String loginWithRoles(String userId, String... roles) {
        return TestServers.token(userId, roles);
    }

    /** The development login of the local run. */
    String devLogin(String userId) {
        var response = post("api/dev/login", null, "{\"userId\":\"" + userId + "\"}");
        if (response.status() != 200) {
            throw new AssertionError("login failed: " + response);
        }
        return response.body().get("token").asText();
    }

    Response put(String path, String token, String json) {
        return withBody("PUT", path, token, json);
    }

    Response patch(String path, String token, String json) {
        return withBody("PATCH", path, token, json);
    }

    Response delete(String path, String token) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).DELETE()
                .header("Authorization", "Bearer " + token);
        return send(request.build());
    }

    private Response withBody(String method, String path, String token, String json) {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        return send(request.build());
    }

    String startConversation(String token, String with) {
        var response = post("api/conversations", token, "{\"with\":\"" + with + "\"}");
        if (response.status() != 200) {
            throw new AssertionError("start failed: " + response);
        }
        return response.body().get("conversationId").asText();
    }

    Response get(String path, String token) {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    Response post(String path, String token, String json) {
        return postBytes(path, token, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    Response postBytes(String path, String token, byte[] body) {
        var request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private Response send(HttpRequest request) {
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
            var body = response.body().isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(response.body());
            return new Response(response.statusCode(), body);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
