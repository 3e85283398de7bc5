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

    Principal requireToken(String token) {
        return verify(token).orElseThrow(() -> new ApiException(401, "invalid_token", "the token is invalid or expired"));
    }

    private Optional<Principal> verify(String token) {
        return token == null || token.isEmpty() ? Optional.empty() : tokens.verify(token);
    }
}
