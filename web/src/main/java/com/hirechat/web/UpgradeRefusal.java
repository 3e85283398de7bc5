package com.hirechat.web;

import java.util.Optional;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.RequestException;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/** Carries a refused WebSocket upgrade's error code from {@link ChatSocket} to {@link JsonDirectHandler}. */
final class UpgradeRefusal {

    // Helidon 4.3 answers a RequestException thrown from WsListener.onHttpUpgrade through the server's direct
    // handlers, handing them only the status and the exception's response headers: its message is dropped unless
    // error entities are switched on server-wide, and its type cannot be seen. So code and message travel in two
    // internal response headers, which the direct handler takes out again before it answers. Only server code sets
    // response headers, so a client cannot choose the code it is refused with.
    static final HeaderName CODE = HeaderNames.create("X-HireChat-Refusal-Code");
    static final HeaderName MESSAGE = HeaderNames.create("X-HireChat-Refusal-Message");

    private UpgradeRefusal() {
    }

    /** The exception that makes Helidon refuse the upgrade with the status and, through the direct handler, the code. */
    static RequestException of(ApiException refusal) {
        return RequestException.builder()
                .type(DirectHandler.EventType.OTHER)
                .status(Status.create(refusal.status()))
                .message(refusal.code())
                .header(HeaderValues.create(CODE, refusal.code()))
                .header(HeaderValues.create(MESSAGE, refusal.getMessage()))
                .build();
    }

    /** The refusal these response headers carry, removing it from them; empty for any other error response. */
    static Optional<ApiException> take(ServerResponseHeaders headers, Status status) {
        var code = headers.first(CODE);
        var message = headers.first(MESSAGE).orElse("");
        headers.remove(CODE);
        headers.remove(MESSAGE);
        return code.map(c -> new ApiException(status.code(), c, message));
    }
}
