package com.hirechat.web;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The web layer's meters: sockets, subscriptions, frames in and out, refusals by code. */
final class ChatMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger sockets = new AtomicInteger();
    private final Counter framesSent;

    ChatMetrics(MeterRegistry registry, Supplier<Number> subscriptions) {
        this.registry = registry;
        Gauge.builder("hirechat.websocket.connections", sockets, AtomicInteger::get)
                .description("open WebSocket connections on this node").register(registry);
        Gauge.builder("hirechat.websocket.subscriptions", subscriptions)
                .description("conversation subscriptions on this node").register(registry);
        framesSent = Counter.builder("hirechat.frames.sent").description("frames pushed to clients").register(registry);
    }

    void socketOpened() {
        sockets.incrementAndGet();
    }

    void socketClosed() {
        sockets.decrementAndGet();
    }

    void frameReceived(String type) {
        registry.counter("hirechat.frames.received", "type", knownType(type)).increment();
    }

    void frameSent() {
        framesSent.increment();
    }

    /** A frame or request refused, by its error code. */
    void rejected(String code) {
        registry.counter("hirechat.rejected", "code", code).increment();
    }

    // clients choose the type: only known ones become tag values, so they cannot grow the metric without bound
    private static String knownType(String type) {
        return switch (type) {
            case "ping", "subscribe", "unsubscribe", "subscribe_inbox", "unsubscribe_inbox", "send", "edit", "redact",
                 "read", "typing" -> type;
            default -> "other";
        };
    }
}
