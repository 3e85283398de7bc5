package com.hirechat.web;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Requests refused before routing (too large, malformed HTTP, a refused WebSocket upgrade) still get the API's JSON
 * error shape.
 */
final class JsonDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        var error = UpgradeRefusal.take(responseHeaders, defaultStatus).orElseGet(() -> generic(defaultStatus));
        var body = Json.write(new ApiRoutes.ErrorBody(new ApiRoutes.ErrorBody.Detail(error.code(), error.getMessage())));
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    /** Helidon's own refusals (malformed HTTP, too large) carry no code of ours: one follows from the status. */
    private static ApiException generic(Status status) {
        var code = switch (status.code()) {
            case 413 -> "payload_too_large";
            case 404 -> "not_found";
            case 403 -> "forbidden";
            default -> status.code() < 500 ? "bad_request" : "internal_error";
        };
        return new ApiException(status.code(), code, status.code() < 500 ? status.reasonPhrase() : "internal error");
    }
}
