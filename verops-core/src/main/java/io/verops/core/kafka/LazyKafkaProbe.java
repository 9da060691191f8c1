package io.verops.core.kafka;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The readiness of a service whose Kafka settings exist only once it has started: "starting" until then, and
 * afterwards the checks of one {@link KafkaProbe}, made on first use and closed with this. Thread-safe; the four
 * services' health checks are thin shells over it.
 */
public final class LazyKafkaProbe implements AutoCloseable {
    private final Supplier<KafkaSettings> settings;
    private final String service;
    private KafkaProbe probe;

    /**
     * @param settings the service's Kafka settings, null until it has started
     * @param service  the service's name, for the probe's client id
     */
    public LazyKafkaProbe(Supplier<KafkaSettings> settings, String service) {
        this.settings = Objects.requireNonNull(settings, "settings == null");
        this.service = Objects.requireNonNull(service, "service == null");
    }

    public KafkaProbe.Readiness check() {
        KafkaSettings kafka = settings.get();
        return kafka == null ? KafkaProbe.Readiness.starting() : probe(kafka).check();
    }

    private synchronized KafkaProbe probe(KafkaSettings kafka) {
        if (probe == null) {
            probe = new KafkaProbe(kafka, service);
        }
        return probe;
    }

    @Override
    public synchronized void close() {
        if (probe != null) {
            probe.close();
            probe = null;
        }
    }
}
