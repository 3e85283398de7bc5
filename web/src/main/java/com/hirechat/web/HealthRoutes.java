package com.hirechat.web;

import java.util.LinkedHashMap;
import java.util.function.BooleanSupplier;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code /health/live}, {@code /health/ready} and, where allowed, {@code /metrics}: for load balancers and Prometheus. */
final class HealthRoutes implements HttpService {

    private final Operations operations;
    private final BooleanSupplier draining;
    private final boolean withMetrics;

    HealthRoutes(Operations operations, BooleanSupplier draining, boolean withMetrics) {
        this.operations = operations;
        this.draining = draining;
        this.withMetrics = withMetrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/health/live", (request, response) -> ApiRoutes.json(response, java.util.Map.of("status", "UP")))
                .get("/health/ready", this::ready);
        if (withMetrics) {
            rules.get("/metrics", this::metrics);
        }
    }

    private void ready(ServerRequest request, ServerResponse response) {
        var checks = new LinkedHashMap<String, Boolean>(operations.readiness().checks());
        checks.put("accepting", !draining.getAsBoolean());
        var up = checks.values().stream().allMatch(Boolean::booleanValue);
        var body = new LinkedHashMap<String, Object>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        response.status(up ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        ApiRoutes.json(response, body);
    }

    private void metrics(ServerRequest request, ServerResponse response) {
        response.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        response.send(operations.prometheusText().get());
    }
}
