package com.hirechat.infra;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.monitoring.MessageMonitor;

import com.hirechat.commands.CommandTimings;
import com.hirechat.web.Operations;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Metrics (Micrometer, Prometheus text) and readiness for the whole process. */
final class Observability {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Timer appendLatency;
    private final BooleanSupplier databaseAnswers;

    /** For command-line work, which serves no readiness: it would report the database as not answering. */
    Observability() {
        this(() -> false);
    }

    /** {@code databaseAnswers} must answer at once: a load balancer's health check waits for it. */
    Observability(BooleanSupplier databaseAnswers) {
        this.databaseAnswers = databaseAnswers;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        appendLatency = Timer.builder("hirechat.event.store.append")
                .description("from an event's publication to its durable commit")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** Hikari's pool metrics ({@code hikaricp_connections_pending}, {@code hikaricp_connections_acquire_seconds}, ...). */
    MetricsTrackerFactory connectionPool() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /** Command durations, by command and outcome. */
    CommandTimings commandTimings() {
        return (command, nanos, succeeded) -> Timer.builder("hirechat.command")
                .tag("command", command)
                .tag("outcome", succeeded ? "success" : "failure")
                .publishPercentileHistogram()
                .register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** Times each event from publication to commit (Axon reports success after the unit of work commits). */
    MessageMonitor<EventMessage<?>> appendMonitor() {
        return message -> {
            var sample = Timer.start(registry);
            return new MessageMonitor.MonitorCallback() {
                @Override
                public void reportSuccess() {
                    sample.stop(appendLatency);
                }

                @Override
                public void reportFailure(Throwable cause) {
                    // a failed append is counted by the command's failure outcome
                }

                @Override
                public void reportIgnored() {
                    // not stored, nothing to time
                }
            };
        };
    }

    /** Lag of every streaming processor: events in the store its slowest segment has not processed yet. */
    void watchProcessors(Configuration axon) {
        axon.eventProcessingConfiguration().eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder("hirechat.projection.lag", () -> lag(axon, streaming))
                        .description("events not yet applied to the read models")
                        .tag("processor", name)
                        .register(registry);
            }
        });
    }

    private static long lag(Configuration axon, StreamingEventProcessor processor) {
        var head = position(axon.eventStore().createHeadToken());
        var slowest = processor.processingStatus().values().stream()
                .mapToLong(status -> status.getCurrentPosition().orElse(0))
                .min();
        return slowest.isPresent() ? Math.max(0, head - slowest.getAsLong()) : head;
    }

    private static long position(TrackingToken token) {
        return token == null ? 0 : token.position().orElse(0);
    }

    /** Ready when the database answers and every event processor runs. */
    Operations operations(Configuration axon) {
        return new Operations(registry, registry::scrape, () -> {
            var checks = new LinkedHashMap<String, Boolean>();
            checks.put("database", databaseAnswers.getAsBoolean());
            checks.put("processors", axon.eventProcessingConfiguration().eventProcessors().values().stream()
                    .allMatch(processor -> processor.isRunning()));
            return Map.copyOf(checks);
        });
    }
}
