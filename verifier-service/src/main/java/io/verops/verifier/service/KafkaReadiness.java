package io.verops.verifier.service;

import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.TopicSetup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the service has started, Kafka answers within a few seconds and every verops topic exists. */
@Readiness
@Singleton
public class KafkaReadiness implements HealthCheck {
    private final VerifierRuntime runtime;
    private Admin admin;

    public KafkaReadiness(VerifierRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("kafka");
        KafkaSettings kafka = runtime.kafka();
        if (kafka == null) {
            return r.down().withData("reason", "starting").build();
        }
        r.withData("bootstrap_servers", kafka.bootstrapServers());
        try {
            List<String> missing = TopicSetup.missingTopics(admin(kafka), kafka);
            return missing.isEmpty() ? r.up().build()
                    : r.down().withData("missing_topics", String.join(", ", missing)).build();
        } catch (Exception e) {
            return r.down().withData("reason", "Kafka unreachable: " + e).build();
        }
    }

    private synchronized Admin admin(KafkaSettings kafka) {
        if (admin == null) {
            Properties p = kafka.baseProperties();
            p.put("client.id", "verops-verifier-health");
            p.put("request.timeout.ms", "2000");
            p.put("default.api.timeout.ms", "3000");
            p.put("socket.connection.setup.timeout.ms", "1000");
            p.put("socket.connection.setup.timeout.max.ms", "2000");
            admin = Admin.create(p);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
