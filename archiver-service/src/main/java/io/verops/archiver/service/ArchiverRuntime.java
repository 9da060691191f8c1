package io.verops.archiver.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.verops.archiver.ArchiverStage;
import io.verops.archiver.BundleContext;
import io.verops.archiver.BundleIndex;
import io.verops.archiver.KeySettings;
import io.verops.core.auth.AuthSettings;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the archiver stage's consumer loop at start, wired as the one-JVM runner wires it (group
 * {@code verops-archiver}, one worker, state replayed from the start of its topics), and stops it at shutdown.
 */
@Singleton
public class ArchiverRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ArchiverRuntime.class);
    public static final String GROUP_ID = "verops-archiver";

    private final ArchiverConfig config;
    private volatile KafkaSettings kafka;
    private volatile Publisher publisher;
    private volatile StageLoop loop;
    private volatile ArchiverStage stage;
    private volatile BundleIndex index;
    private volatile OperationCatalog catalog;

    public ArchiverRuntime(ArchiverConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        AuthSettings auth = config.auth().settings();
        auth.warnings().forEach(w -> LOG.warn("archiver: {}", w));
        LOG.info("archiver: {}", auth.summary());
        Path reports = config.archiver().reportsDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(reports);
        } catch (IOException e) {
            throw new UncheckedIOException("verops.archiver.reports-dir: cannot create " + reports + ": " + e.getMessage(), e);
        }
        KafkaSettings k = config.kafka().settings();
        if (config.kafka().createTopics()) {
            TopicSetup.ensureTopics(k);
        }
        catalog = OperationCatalog.load(config.operationsDir().toAbsolutePath().normalize(),
                SandboxBypass.NOT_RUN_HERE); // the archiver never runs codex: the executor decides on a bypass
        KeySettings keys = new KeySettings(config.keys().dir().toAbsolutePath().normalize(),
                config.signing().key().map(p -> p.toAbsolutePath().normalize()).orElse(null));
        // The codex version and model provider are the executor's to know: this service records them as unknown.
        BundleContext context = BundleContext.of(catalog, BundleContext.implementationVersion(), BundleContext.UNKNOWN,
                null, keys);
        publisher = new Publisher(k, "archiver");
        stage = new ArchiverStage(reports, publisher, Clock.systemUTC(), context);
        index = new BundleIndex(reports);
        loop = stage.loop(k, GROUP_ID).start();
        kafka = k;
        LOG.info("archiver: consuming {} as {}; bundles under {}; Kafka at {}", stage.topics(k.topics()), GROUP_ID,
                reports, k.bootstrapServers());
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

    public ArchiverStage stage() {
        return stage;
    }

    /** The bundles written so far; null until the service has started. */
    public BundleIndex index() {
        return index;
    }

    /** The operations this service knows; null until the service has started. */
    public OperationCatalog catalog() {
        return catalog;
    }
}
