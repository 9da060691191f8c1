package io.verops.ingest.service;

import io.smallrye.config.WithDefault;
import io.verops.core.Topics;
import io.verops.core.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code verops.kafka.*}: how the service reaches Kafka (the same keys in every verops service). */
public interface KafkaConfig {
    /** Bootstrap servers: {@code kafka.bootstrap.servers}, unless {@code verops.kafka.bootstrap-servers} is set. */
    @WithDefault("${kafka.bootstrap.servers:localhost:9092}")
    String bootstrapServers();

    /** Prefix of every verops topic. */
    @WithDefault(Topics.DEFAULT_PREFIX)
    String topicPrefix();

    /** Partitions of the topics the service creates. */
    @WithDefault("4")
    int partitions();

    /** Create verops' missing topics at start. */
    @WithDefault("true")
    boolean createTopics();

    /** Kafka client properties passed through verbatim: {@code verops.kafka.client.security.protocol=SSL}, ... */
    Map<String, String> client();

    default KafkaSettings settings() {
        return new KafkaSettings(bootstrapServers().strip(), client(), new Topics(topicPrefix()), partitions());
    }

    /** Every problem of these keys, each naming the key and the fix. */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers().isBlank()) {
            problems.add("kafka.bootstrap.servers: set it to the Kafka cluster's host:port list");
        }
        if (partitions() < 1) {
            problems.add("verops.kafka.partitions: must be at least 1 (found " + partitions() + ")");
        }
        if (client().containsKey("bootstrap.servers")) {
            problems.add("verops.kafka.client.bootstrap.servers: set kafka.bootstrap.servers instead");
        }
        return problems;
    }
}
