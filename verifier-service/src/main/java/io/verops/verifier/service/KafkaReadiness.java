package io.verops.verifier.service;

import io.verops.core.kafka.KafkaProbe;
import io.verops.core.kafka.KafkaSettings;
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
    private final VerifierRuntime runtime;
    private KafkaProbe probe;

    public KafkaReadiness(VerifierRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaSettings kafka = runtime.kafka();
        KafkaProbe.Readiness readiness = kafka == null ? KafkaProbe.Readiness.starting() : probe(kafka).check();
        HealthCheckResponseBuilder r = HealthCheckResponse.named("kafka").status(readiness.up());
        readiness.data().forEach(r::withData);
        return r.build();
    }

    private synchronized KafkaProbe probe(KafkaSettings kafka) {
        if (probe == null) {
            probe = new KafkaProbe(kafka, "verifier");
        }
        return probe;
    }

    @PreDestroy
    synchronized void close() {
        if (probe != null) {
            probe.close();
        }
    }
}
