package io.verops.executor.service;

import io.verops.core.kafka.KafkaProbe;
import io.verops.core.kafka.LazyKafkaProbe;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the service has started, Kafka answers within a few seconds and every verops topic exists. */
@Readiness
@Singleton
public class KafkaReadiness implements HealthCheck {
    private final LazyKafkaProbe probe;

    public KafkaReadiness(ExecutorRuntime runtime) {
        this.probe = new LazyKafkaProbe(runtime::kafka, "executor");
    }

    @Override
    public HealthCheckResponse call() {
        KafkaProbe.Readiness readiness = probe.check();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("kafka").status(readiness.up());
        readiness.data().forEach(r::withData);
        return r.build();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
