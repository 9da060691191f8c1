package io.verops.cli;

import io.verops.archiver.ArchiverStage;
import io.verops.archiver.BundleContext;
import io.verops.archiver.KeySettings;
import io.verops.core.kafka.EmbeddedKafka;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.ApprovalCoordinator;
import io.verops.executor.BatchStateView;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ExecutorStage;
import io.verops.ingest.IngestStage;
import io.verops.verifier.VerifierSettings;
import io.verops.verifier.VerifierStage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The whole pipeline in one JVM: a real Kafka broker (KRaft, in-process), its topics, and the four stages,
 * each a consumer group member talking to the others only through the topics, exactly as the services do.
 */
public final class LocalPipeline implements AutoCloseable {
    private final EmbeddedKafka broker;
    private final KafkaSettings kafka;
    private final Publisher publisher;
    /**
     * The executors' and the verifier's, one each as in the services: they wait for each record they send before
     * they go on, and the broker answers one connection's requests one at a time.
     */
    private final Publisher executorPublisher;
    private final Publisher verifierPublisher;
    private final IngestStage ingest;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private OperationCatalog catalog;
    private Clock clock;

    private LocalPipeline(EmbeddedKafka broker, KafkaSettings kafka, Publisher publisher, IngestStage ingest) {
        this.broker = broker;
        this.kafka = kafka;
        this.publisher = publisher;
        this.executorPublisher = new Publisher(kafka, "local-executor", Publisher.Batching.LATENCY);
        this.verifierPublisher = new Publisher(kafka, "local-verifier", Publisher.Batching.LATENCY);
        this.ingest = ingest;
    }

    /**
     * @param kafkaDir the broker's data folder (reused when it exists)
     * @param reports  where bundles are written
     */
    public static LocalPipeline start(OperationCatalog catalog, ExecutorSettings executorSettings, Path kafkaDir,
                                      Path reports, Clock clock) {
        return start(catalog, executorSettings, kafkaDir, reports, clock, true);
    }

    /**
     * As {@link #start(OperationCatalog, ExecutorSettings, Path, Path, Clock)}; without an executor when
     * {@code withExecutor} is false (add executors with {@link #addExecutor}, as separate instances would be).
     */
    public static LocalPipeline start(OperationCatalog catalog, ExecutorSettings executorSettings, Path kafkaDir,
                                      Path reports, Clock clock, boolean withExecutor) {
        Objects.requireNonNull(catalog, "catalog == null");
        EmbeddedKafka broker = EmbeddedKafka.start(kafkaDir, KafkaSettings.DEFAULT_PARTITIONS);
        KafkaSettings kafka = KafkaSettings.local(broker.bootstrapServers());
        LocalPipeline pipeline = null;
        try {
            TopicSetup.ensureTopics(kafka);
            Publisher publisher = new Publisher(kafka, "local");
            pipeline = new LocalPipeline(broker, kafka, publisher, new IngestStage(catalog, publisher, clock));
            var topics = kafka.topics();
            pipeline.catalog = catalog;
            pipeline.clock = clock;
            if (withExecutor) {
                pipeline.closeables.add(pipeline.addExecutor(executorSettings));
            }
            ApprovalCoordinator coordinator = new ApprovalCoordinator(catalog, publisher, clock);
            VerifierStage verifier = new VerifierStage(catalog, pipeline.verifierPublisher, new VerifierSettings(
                    executorSettings.home(), executorSettings.targetDatabases()), clock);
            pipeline.closeables.add(verifier);
            verifier.prepare();
            ArchiverStage archiver = new ArchiverStage(reports, publisher, clock, BundleContext.of(catalog,
                    LocalPipeline.class.getPackage().getImplementationVersion(),
                    BundleContext.probeCodexVersion(executorSettings.codexBinary()),
                    executorSettings.endpoint().providerId(), KeySettings.fromEnvironment(executorSettings.home())));
            pipeline.closeables.add(new StageLoop("verifier", kafka, "verops-verifier", List.of(topics.results()),
                    verifier::handle, Math.max(2, executorSettings.concurrency()), publisher, false).start());
            pipeline.closeables.add(archiver);
            pipeline.closeables.add(archiver.loop(kafka, "verops-archiver").start());
            pipeline.closeables.add(new StageLoop("coordinator", kafka, "verops-coordinator",
                    coordinator.topics(topics), coordinator::handle, 1, publisher, true).start());
            return pipeline;
        } catch (RuntimeException e) {
            if (pipeline != null) {
                pipeline.close();
            } else {
                broker.close();
            }
            throw e;
        }
    }

    /**
     * Starts one more executor in the consumer group, with its own view of the batches' state, as a separate
     * instance would; closing what it returns stops it at once (work in flight is cut short and redelivered).
     */
    public AutoCloseable addExecutor(ExecutorSettings settings) {
        BatchStateView state = new BatchStateView(kafka);
        ExecutorStage executor = new ExecutorStage(catalog, settings, executorPublisher, clock, state);
        try {
            executor.prepare();
        } catch (InterruptedException e) {
            state.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the executor was starting", e);
        }
        StageLoop loop = new StageLoop("executor", kafka, "verops-executor", List.of(kafka.topics().items()),
                executor::handle, settings.concurrency(), publisher, false).start();
        return () -> {
            loop.close();
            state.close();
        };
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    public IngestStage ingest() {
        return ingest;
    }

    public Publisher publisher() {
        return publisher;
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(closeables);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing the rest matters more
            }
        }
        executorPublisher.close();
        verifierPublisher.close();
        publisher.close();
        broker.close();
    }
}
