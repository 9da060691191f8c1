package io.verops.verifier.service;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * An in-process broker for the service under test that a test may stop and start again, on the same port and data
 * folder, while the service keeps running: what a broker restart looks like to the service.
 */
public class RestartableKafkaTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile EmbeddedKafka broker;
    private static volatile EmbeddedKafka stopped;

    @Override
    public Map<String, String> start() {
        try {
            Files.createDirectories(Path.of("target"));
            broker = EmbeddedKafka.start(Files.createTempDirectory(Path.of("target"), "kafka-restartable-"),
                    KafkaSettings.DEFAULT_PARTITIONS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                "verops.target-db.user-provisioning", Path.of("target/users.db").toAbsolutePath().toString(),
                "verops.home", System.getProperty("verops.root", ".."));
    }

    static String bootstrapServers() {
        return (broker != null ? broker : stopped).bootstrapServers();
    }

    /** Stops the broker; the service keeps running. */
    static synchronized void stopBroker() {
        stopped = broker;
        broker = null;
        stopped.close();
    }

    /** Starts the stopped broker again, on its port and with its data. */
    static synchronized void startBroker() {
        broker = stopped.startAgain();
        stopped = null;
    }

    @Override
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
