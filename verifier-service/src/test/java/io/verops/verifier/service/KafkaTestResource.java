package io.verops.verifier.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A fresh in-process broker under target/ for the service under test; its address as kafka.bootstrap.servers. */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {
    static volatile String bootstrapServers;
    private EmbeddedKafka broker;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(Path.of("target"));
            broker = EmbeddedKafka.start(Files.createTempDirectory(Path.of("target"), "kafka-"),
                    KafkaSettings.DEFAULT_PARTITIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        bootstrapServers = broker.bootstrapServers();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "verops.kafka.client.security.protocol", "PLAINTEXT",
                "verops.target-db.user-provisioning", Path.of("target/users.db").toAbsolutePath().toString(),
                "verops.home", System.getProperty("verops.root", ".."));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
