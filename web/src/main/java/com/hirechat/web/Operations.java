package com.hirechat.web;

import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * What operators get from the web server: meters to record into, the Prometheus text to serve at {@code /metrics},
 * and the readiness checks behind {@code /health/ready}.
 */
public record Operations(MeterRegistry registry, Supplier<String> prometheusText, Readiness readiness) {
}
