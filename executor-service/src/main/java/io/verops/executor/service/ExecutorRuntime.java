package io.verops.executor.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.verops.core.kafka.KafkaSettings;
import io.verops.core.kafka.Publisher;
import io.verops.core.kafka.StageLoop;
import io.verops.core.kafka.TopicSetup;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ApprovalCoordinator;
import io.verops.executor.BatchStateView;
import io.verops.executor.ExecutorStage;
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
 * Starts the executor stage's consumer loop at start, wired as the one-JVM runner wires it (group
 * {@code verops-executor} on the items topic), and stops it gracefully at shutdown.
 */
@Singleton
public class ExecutorRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorRuntime.class);
    public static final String GROUP_ID = "verops-executor";

    private final ExecutorConfig config;
    private volatile KafkaSettings kafka;
    private volatile Publisher publisher;
    private volatile StageLoop loop;
    private volatile StageLoop coordinatorLoop;
    private volatile BatchStateView state;

    public ExecutorRuntime(ExecutorConfig config) {
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
        Path home = config.home().toAbsolutePath().normalize();
        ExecutorConfig.Executor e = config.executor();
        OperationCatalog catalog = OperationCatalog.load(config.operationsDir().toAbsolutePath().normalize(),
                e.sandboxBypass());
        Map<String, Path> targets = new HashMap<>();
        config.targetDb().forEach((operation, db) -> targets.put(operation, db.toAbsolutePath().normalize()));
        ExecutorSettings settings = new ExecutorSettings(e.codexBinary().toAbsolutePath().normalize(), home,
                e.workDir().toAbsolutePath().normalize(), e.model().endpoint(), e.concurrency(), e.retryBackoff(),
                targets, null, e.sandboxBypass(), e.codexNice());
        if (e.allowSandboxBypass()) {
            LOG.warn("executor: verops.executor.allow-sandbox-bypass=true: the apply of an operation declaring "
                    + "danger-full-access runs codex without its sandbox (recorded as a verops.sandbox audit event); "
                    + "only where the pod itself is the sandbox");
        }
        KafkaSettings k = config.kafka().settings();
        if (config.kafka().createTopics()) {
            TopicSetup.ensureTopics(k);
        }
        publisher = new Publisher(k, "executor", Publisher.Batching.LATENCY);
        state = new BatchStateView(k);
        ExecutorStage stage = new ExecutorStage(catalog, settings, publisher, Clock.systemUTC(), state);
        try {
            stage.prepare();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the executor was starting", interrupted);
        }
        loop = new StageLoop("executor", k, GROUP_ID, List.of(k.topics().items()), stage::handle,
                settings.concurrency(), publisher, false).start();
        // Between dry run and apply: releases approved applies (one active member per batch partition).
        ApprovalCoordinator coordinator = new ApprovalCoordinator(catalog, publisher, Clock.systemUTC());
        coordinatorLoop = new StageLoop("coordinator", k, "verops-coordinator", coordinator.topics(k.topics()),
                coordinator::handle, 1, publisher, true).start();
        kafka = k;
        LOG.info("executor: consuming {} as {} with {} codex processes at once; model {} at {}; Kafka at {}",
                k.topics().items(), GROUP_ID, settings.concurrency(), settings.endpoint().providerId(),
                settings.endpoint().baseUrl(), k.bootstrapServers());
    }

    void stop(@Observes ShutdownEvent event) {
        if (coordinatorLoop != null) {
            coordinatorLoop.close();
        }
        if (loop != null) {
            loop.close(config.executor().shutdownGrace()); // running items finish; nothing new starts
        }
        if (state != null) {
            state.close();
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
