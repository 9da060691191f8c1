package io.verops.core.kafka;

import io.verops.core.Topics;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * How a stage reaches Kafka: bootstrap servers, any extra client properties (security protocol, SASL, TLS,
 * passed through verbatim), the topics and the partitions of topics verops creates.
 */
public record KafkaSettings(String bootstrapServers, Map<String, String> clientProperties, Topics topics,
                            int partitions) {
    public static final int DEFAULT_PARTITIONS = 4;

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers == null");
        Objects.requireNonNull(topics, "topics == null");
        clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1 (found " + partitions + ")");
        }
    }

    public static KafkaSettings local(String bootstrapServers) {
        return new KafkaSettings(bootstrapServers, Map.of(), Topics.withDefaultPrefix(), DEFAULT_PARTITIONS);
    }

    /** Base client properties: bootstrap servers plus the pass-through ones. */
    public Properties baseProperties() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        p.putAll(clientProperties);
        return p;
    }
}
