package com.hirechat.web;

import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;


/** Finds who is behind a request's bearer token, or refuses with 401. */
final class Authenticator {

    private static final String BEARER = "Bearer ";

    private final TokenService tokens;

    Authenticator(TokenService tokens) {
        this.tokens = tokens;
    }

    Principal require(ServerRequest request) {
        var header = request.headers().first(HeaderNames.AUTHORIZATION)
                .orElseThrow(() -> new ApiException(401, "unauthenticated", "an Authorization: Bearer token is required"));
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new ApiException(401, "unauthenticated", "an Authorization: Bearer token is required");
        }
        return requireToken(header.substring(BEARER.length()).trim());
    }

    /**
     * The WebSocket's token, which travels in the query: none (or an empty one) is {@code unauthenticated}, one that
     * does not verify is {@code invalid_token}, as for the Authorization header.
     */
    Principal requireQueryToken(Optional<String> token) {
        if (token.isEmpty() || token.get().isEmpty()) {
            throw new ApiException(401, "unauthenticated", "an access_token query parameter is required");
        }
        return requireToken(token.get());
    }

    Principal requireToken(String token) {
        return verify(token).orElseThrow(() -> new ApiException(401, "invalid_token", "the token is invalid or expired"));
    }

    private Optional<Principal> verify(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : tokens.verify(token);
    }
}
