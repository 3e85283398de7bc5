package com.hirechat.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;

/** Which web pages may open a WebSocket here: an allow-list, or by default only pages of this server. */
final class OriginPolicy {

    private OriginPolicy() {
    }

    /**
     * Refuses with {@code forbidden_origin} when a browser page from elsewhere opens the socket.
     * Non-browser clients send no Origin; they are judged by their token alone.
     */
    static void check(Set<String> allowed, Headers headers) {
        var origin = headers.first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return;
        }
        var accepted = allowed.isEmpty()
                ? sameHost(origin.get(), headers.first(HeaderNames.HOST).orElse(""))
                : allowed.contains(origin.get());
        if (!accepted) {
            throw new ApiException(403, "forbidden_origin", "WebSockets from this origin are not allowed");
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            var uri = new URI(origin);
            var authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return uri.getHost() != null && authority.equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
