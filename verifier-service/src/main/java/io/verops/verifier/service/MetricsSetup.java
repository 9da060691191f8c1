package io.verops.verifier.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.verops.core.metrics.VeropsMetrics;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Points the stages' metrics at the service's Prometheus registry (served at /q/metrics) before they start. */
@Singleton
public class MetricsSetup {
    void start(@Observes @Priority(1) StartupEvent event, MeterRegistry registry) {
        VeropsMetrics.use(registry);
    }
}
