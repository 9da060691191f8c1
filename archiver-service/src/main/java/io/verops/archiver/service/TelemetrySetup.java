package io.verops.archiver.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import io.verops.core.metrics.VeropsMetrics;
import io.verops.core.tracing.Tracing;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Points the stages' metrics at the service's Prometheus registry (served at /q/metrics) and their spans at the
 * service's OpenTelemetry (exported over OTLP, docs/tracing.md) before they start.
 */
@Singleton
public class TelemetrySetup {
    void start(@Observes @Priority(1) StartupEvent event, MeterRegistry registry, OpenTelemetry openTelemetry) {
        VeropsMetrics.use(registry);
        Tracing.install(openTelemetry);
    }
}
