package io.verops.verifier.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import io.verops.verifier.VerifierSettings;
import io.verops.verifier.VerifierStage;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the verifier stage's consumer loop at start, wired as the one-JVM runner wires it (group
 * {@code verops-verifier} on the results topic), and stops it gracefully at shutdown.
 */
@Singleton
public class VerifierRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(VerifierRuntime.class);
    public static final String GROUP_ID = "verops-verifier";

    private final VerifierConfig config;
    private volatile KafkaSettings kafka;
    private volatile Publisher publisher;
    private volatile StageLoop loop;
    private volatile VerifierStage stage;

    public VerifierRuntime(VerifierConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        OperationCatalog catalog = OperationCatalog.load(config.operationsDir().toAbsolutePath().normalize(),
                SandboxBypass.NOT_RUN_HERE); // the verifier never runs codex: the executor decides on a bypass
        KafkaSettings k = config.kafka().settings();
        if (config.kafka().createTopics()) {
            TopicSetup.ensureTopics(k);
        }
        publisher = new Publisher(k, "verifier", Publisher.Batching.LATENCY);
        Map<String, Path> targets = new HashMap<>();
        config.targetDb().forEach((operation, db) -> targets.put(operation, db.toAbsolutePath().normalize()));
        stage = new VerifierStage(catalog, publisher,
                new VerifierSettings(config.home().toAbsolutePath().normalize(), targets), Clock.systemUTC());
        stage.prepare();
        loop = new StageLoop("verifier", k, GROUP_ID, List.of(k.topics().results()), stage::handle,
                config.verifier().concurrency(),
                publisher, false).start();
        kafka = k;
        LOG.info("verifier: consuming {} as {} with {} workers; Kafka at {}", k.topics().results(), GROUP_ID,
                config.verifier().concurrency(), k.bootstrapServers());
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
        if (stage != null) {
            stage.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Null until the service has started. */
    public KafkaSettings kafka() {
        return kafka;
    }
}
