package io.verops.ingest.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.verops.core.auth.AuthSettings;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import io.verops.ingest.AcceptedBatchIds;
import io.verops.ingest.BatchRequestHandler;
import io.verops.ingest.IngestStage;
import io.verops.ingest.RequestFiles;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the ingest stage at start (as the one-JVM runner does), with the loop that takes batch requests from the
 * batches topic, and closes them at shutdown.
 */
@Singleton
public class IngestRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(IngestRuntime.class);
    /** The consumer group that reads the batches topic. */
    static final String GROUP = "verops-ingest";

    private final IngestConfig config;
    private final Clock clock = Clock.systemUTC();
    private volatile KafkaSettings kafka;
    private volatile OperationCatalog catalog;
    private volatile Publisher publisher;
    private volatile IngestStage stage;
    private volatile AcceptedBatchIds acceptedBatchIds;
    private volatile StageLoop requestLoop;

    public IngestRuntime(IngestConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        AuthSettings auth = config.auth().settings();
        auth.warnings().forEach(w -> LOG.warn("ingest: {}", w));
        LOG.info("ingest: {}", auth.summary());
        Path operations = config.operationsDir().toAbsolutePath().normalize();
        // ingest never runs codex: the executor decides whether an operation may run without its sandbox
        catalog = OperationCatalog.load(operations, SandboxBypass.NOT_RUN_HERE);
        KafkaSettings settings = config.kafka().settings();
        if (config.kafka().createTopics()) {
            TopicSetup.ensureTopics(settings);
        }
        publisher = new Publisher(settings, "ingest");
        stage = new IngestStage(catalog, publisher, clock, config.ingest().maxAcceptedEventBytes());
        acceptedBatchIds = new AcceptedBatchIds(settings);
        RequestFiles files = config.ingest().requestFilesDir()
                .map(dir -> RequestFiles.under(dir, config.ingest().requestFileMaxBytes()))
                .orElse(RequestFiles.none());
        BatchRequestHandler requests = new BatchRequestHandler(stage, acceptedBatchIds, files, clock);
        requestLoop = new StageLoop("ingest", settings, GROUP, List.of(settings.topics().batches()),
                requests::handle, 1, publisher, false).start();
        kafka = settings;
        LOG.info("ingest: {} operations from {}, Kafka at {}; batch requests from {} (group {}), batch files {}",
                catalog.all().size(), operations, settings.bootstrapServers(), settings.topics().batches(), GROUP,
                config.ingest().requestFilesDir().map(d -> "from " + d.toAbsolutePath().normalize())
                        .orElse("refused (verops.ingest.request-files-dir is not set)"));
    }

    void stop(@Observes ShutdownEvent event) {
        if (requestLoop != null) {
            requestLoop.close();
        }
        if (acceptedBatchIds != null) {
            acceptedBatchIds.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** Null until the service has started. */
    public KafkaSettings kafka() {
        return kafka;
    }

    public OperationCatalog catalog() {
        return catalog;
    }

    public IngestStage stage() {
        return stage;
    }

    /** Null until the service has started. */
    public io.verops.core.kafka.Publisher publisher() {
        return publisher;
    }

    public Clock clock() {
        return clock;
    }
}
