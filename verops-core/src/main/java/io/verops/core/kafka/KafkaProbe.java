package io.verops.core.kafka;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * Whether a service may take work: Kafka answers within a few seconds and every verops topic exists. The readiness
 * checks of the four services are thin shells over it. One admin client, made on first use with the service's
 * client properties (security included) and short timeouts, reconnects by itself when the broker comes back.
 * Thread-safe.
 */
public final class KafkaProbe implements AutoCloseable {
    /** Admin timeouts of the probe: an unreachable cluster is reported within about three seconds. */
    static final Map<String, String> TIMEOUTS = Map.of(
            "request.timeout.ms", "2000",
            "default.api.timeout.ms", "3000",
            "socket.connection.setup.timeout.ms", "1000",
            "socket.connection.setup.timeout.max.ms", "2000");

    private final KafkaSettings settings;
    private final String service;
    private Admin admin;
    private boolean closed;

    /** @param service the service's name ({@code ingest}, ...), in the admin client's id */
    public KafkaProbe(KafkaSettings settings, String service) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.service = Objects.requireNonNull(service, "service == null");
    }

    /** The admin client's properties: the service's (bootstrap servers, pass-through) with the probe's timeouts. */
    public Properties adminProperties() {
        Properties p = settings.baseProperties();
        p.put("client.id", "verops-" + service + "-health");
        p.putAll(TIMEOUTS); // the probe answers within seconds whatever the other clients wait
        return p;
    }

    /** Asks Kafka now: up when it answers and no verops topic is missing. */
    public Readiness check() {
        String servers = settings.bootstrapServers();
        try {
            List<String> missing = TopicSetup.missingTopics(admin(), settings);
            return missing.isEmpty() ? Readiness.up(servers) : Readiness.missingTopics(servers, missing);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Readiness.down(servers, "interrupted while asking Kafka at " + servers);
        } catch (Exception e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Readiness.down(servers, "Kafka at " + servers + " unreachable: " + cause);
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("the probe is closed");
        }
        if (admin == null) {
            admin = Admin.create(adminProperties());
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(java.time.Duration.ofSeconds(2));
            admin = null;
        }
    }

    /**
     * What a probe found.
     *
     * @param bootstrapServers the cluster asked, or null when the service has not started
     * @param reason           why it is down, or null when up
     * @param missingTopics    the verops topics that do not exist (empty unless that is the reason)
     */
    public record Readiness(boolean up, String bootstrapServers, String reason, List<String> missingTopics) {
        public Readiness {
            missingTopics = missingTopics == null ? List.of() : List.copyOf(missingTopics);
        }

        public static Readiness up(String bootstrapServers) {
            return new Readiness(true, bootstrapServers, null, List.of());
        }

        public static Readiness down(String bootstrapServers, String reason) {
            return new Readiness(false, bootstrapServers, Objects.requireNonNull(reason, "reason == null"), List.of());
        }

        /** Down before the service has started (no settings yet). */
        public static Readiness starting() {
            return new Readiness(false, null, "starting", List.of());
        }

        static Readiness missingTopics(String bootstrapServers, List<String> missing) {
            return new Readiness(false, bootstrapServers, "topics missing on " + bootstrapServers + ": "
                    + String.join(", ", missing), missing);
        }

        /**
         * The data a health check shows: {@code bootstrap_servers}, and when down {@code reason} and, for missing
         * topics, {@code missing_topics}.
         */
        public Map<String, String> data() {
            Map<String, String> d = new LinkedHashMap<>();
            if (bootstrapServers != null) {
                d.put("bootstrap_servers", bootstrapServers);
            }
            if (reason != null) {
                d.put("reason", reason);
            }
            if (!missingTopics.isEmpty()) {
                d.put("missing_topics", String.join(", ", missingTopics));
            }
            return d;
        }
    }
}
