package com.hirechat.web;

import java.nio.charset.StandardCharsets;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/** Requests refused before routing (too large, malformed HTTP) still get the API's JSON error shape. */
final class JsonDirectHandler implements DirectHandler {

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        var code = switch (defaultStatus.code()) {
            case 413 -> "payload_too_large";
            case 404 -> "not_found";
            case 403 -> "forbidden";
            default -> defaultStatus.code() < 500 ? "bad_request" : "internal_error";
        };
        var text = defaultStatus.code() < 500 ? defaultStatus.reasonPhrase() : "internal error";
        var body = Json.write(new ApiRoutes.ErrorBody(new ApiRoutes.ErrorBody.Detail(code, text)));
        return TransportResponse.builder()
                .status(defaultStatus)
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .entity(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }
}
