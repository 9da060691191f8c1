package io.verops.cli;

import io.verops.codexsim.CodexSim;
import io.verops.codexsim.Fault;
import io.verops.codexsim.SimConfig;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.core.operation.SandboxBypass;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ModelEndpoint;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The local mode as the commands use it: the catalog, the model (codex-sim unless an API key is set), and the
 * pipeline on an embedded broker whose data lives in {@code var/kafka}, so that a batch awaiting approval
 * survives the process.
 */
final class LocalSession implements AutoCloseable {
    final Path home;
    final OperationCatalog catalog;
    final Path reports;
    final LocalPipeline pipeline;
    private final CodexSim sim;

    private LocalSession(Path home, OperationCatalog catalog, Path reports, LocalPipeline pipeline, CodexSim sim) {
        this.home = home;
        this.catalog = catalog;
        this.reports = reports;
        this.pipeline = pipeline;
        this.sim = sim;
    }

    /** The executor service's key, read here as a system property or, upper-cased, as an environment variable. */
    static final String ALLOW_SANDBOX_BYPASS = "verops.executor.allow-sandbox-bypass";
    static final String ALLOW_SANDBOX_BYPASS_ENV = "VEROPS_EXECUTOR_ALLOW_SANDBOX_BYPASS";

    static OperationCatalog catalog(Path home) {
        return OperationCatalog.load(home.resolve("operations"), sandboxBypass());
    }

    /**
     * Whether this machine lets codex run without its sandbox for an operation declaring danger-full-access: a
     * deployment's decision, so not a flag of {@code verops run} but the executor's key,
     * {@code -Dverops.executor.allow-sandbox-bypass=true} (in VEROPS_JAVA_OPTS) or
     * {@code VEROPS_EXECUTOR_ALLOW_SANDBOX_BYPASS=true}; refused by default.
     */
    static SandboxBypass sandboxBypass() {
        String value = System.getProperty(ALLOW_SANDBOX_BYPASS);
        String from = "-D" + ALLOW_SANDBOX_BYPASS;
        if (value == null) {
            value = System.getenv(ALLOW_SANDBOX_BYPASS_ENV);
            from = ALLOW_SANDBOX_BYPASS_ENV;
        }
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("false")) {
            return SandboxBypass.REFUSED;
        }
        if (value.strip().equalsIgnoreCase("true")) {
            return SandboxBypass.ALLOWED;
        }
        throw new Main.UsageException(from + ": '" + value + "' is neither true nor false");
    }

    static LocalSession open(Path home, OperationCatalog catalog, PipelineOptions o, Operation targetOp, PrintWriter err)
            throws IOException {
        if (o.itemTimeoutSeconds != null && o.itemTimeoutSeconds < 1) {
            throw new Main.UsageException("--item-timeout must be at least 1 second (found " + o.itemTimeoutSeconds + ")");
        }
        if (o.concurrency < 1) {
            throw new Main.UsageException("--concurrency must be at least 1 (found " + o.concurrency + ")");
        }
        if (o.codexNice < 0 || o.codexNice > 19) {
            throw new Main.UsageException("--codex-nice must be between 0 and 19 (found " + o.codexNice + ")");
        }
        Path codex = VeropsHome.codexBinary(home);
        if (!Files.isExecutable(codex)) {
            throw new Main.UsageException("the codex CLI is not installed at " + codex
                    + " (run scripts/setup-tools.sh, or use ./verops which does it for you; or set VEROPS_CODEX)");
        }
        Path reports = o.reports.isAbsolute() ? o.reports : Path.of("").toAbsolutePath().resolve(o.reports).normalize();
        Map<String, Path> targets = new HashMap<>();
        if (o.targetDb != null && targetOp != null) {
            targets.put(targetOp.name(), o.targetDb.toAbsolutePath());
        }
        List<Fault> faults = new ArrayList<>();
        for (String f : o.simFaults) {
            try {
                faults.add(Fault.parse(f));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--sim-fault '" + f + "': " + e.getMessage());
            }
        }
        String apiKey = System.getenv("OPENAI_API_KEY");
        boolean useSim = o.forceSim || apiKey == null || apiKey.isBlank();
        CodexSim sim = null;
        ModelEndpoint endpoint;
        if (useSim) {
            sim = CodexSim.start(SimConfig.defaults().withLatency(Duration.ofMillis(o.simLatencyMs)).withFaults(faults));
            endpoint = ModelEndpoint.codexSim(sim.baseUrl());
            err.println("verops: model: codex-sim, the scripted model server (" + (o.forceSim ? "--sim" : "no OPENAI_API_KEY set")
                    + "); set OPENAI_API_KEY to use a real model");
        } else {
            endpoint = ModelEndpoint.openAi();
            err.println("verops: model: the OpenAI API (OPENAI_API_KEY), each operation's own model");
        }
        ExecutorSettings es = new ExecutorSettings(codex, home, home.resolve("var/work"), endpoint, o.concurrency,
                Duration.ofSeconds(1), targets, o.itemTimeoutSeconds == null ? null : Duration.ofSeconds(o.itemTimeoutSeconds),
                sandboxBypass(), o.codexNice);
        if (es.sandboxBypass() == SandboxBypass.ALLOWED) {
            err.println("verops: " + ALLOW_SANDBOX_BYPASS + "=true: an operation declaring danger-full-access runs codex "
                    + "without its sandbox in its apply (its evidence records it)");
        }
        err.println("verops: starting the embedded Kafka broker (data in var/kafka) and the stages");
        err.flush();
        try {
            LocalPipeline pipeline = LocalPipeline.start(catalog, es, home.resolve("var/kafka"), reports, Clock.systemUTC());
            Files.writeString(brokerFile(home), pipeline.bootstrapServers());
            return new LocalSession(home, catalog, reports, pipeline, sim);
        } catch (RuntimeException e) {
            if (sim != null) {
                sim.close();
            }
            if (String.valueOf(e.getMessage()).contains("lock") || (e.getCause() != null
                    && String.valueOf(e.getCause().getMessage()).contains("lock"))) {
                throw new Main.UsageException("another verops process is using var/kafka; wait for it to finish");
            }
            throw e;
        }
    }

    /** Where a running local pipeline writes its broker's address, so that other commands can reach it. */
    static Path brokerFile(Path home) {
        return home.resolve("var/kafka.address");
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(brokerFile(home));
        } catch (IOException ignored) {
            // stale file: the next command finds no broker there and starts its own
        }
        pipeline.close();
        if (sim != null) {
            sim.close();
        }
    }

    /** Where the local mode remembers a batch's target override, so that its apply hits what its dry run read. */
    static Path targetFile(Path home, String batchId) {
        return home.resolve("var/batches").resolve(batchId + ".target");
    }

    static void rememberTarget(Path home, String batchId, String operation, Path targetDb) throws IOException {
        Files.createDirectories(targetFile(home, batchId).getParent());
        Files.writeString(home.resolve("var/batches").resolve(batchId + ".operation"), operation);
        if (targetDb != null) {
            Files.writeString(targetFile(home, batchId), targetDb.toAbsolutePath().toString());
        }
    }

    static String rememberedOperation(Path home, String batchId) throws IOException {
        if (!io.verops.core.BatchIds.isValid(batchId)) {
            throw new Main.UsageException("'" + batchId + "' is not a batch id");
        }
        Path f = home.resolve("var/batches").resolve(batchId + ".operation");
        return Files.exists(f) ? Files.readString(f).trim() : null;
    }

    /** The target the batch's run used, or null for the operation's own. */
    static Path rememberedTarget(Path home, String batchId) throws IOException {
        Path f = targetFile(home, batchId);
        return Files.exists(f) ? Path.of(Files.readString(f).trim()) : null;
    }

    static String osUser() {
        String u = System.getProperty("user.name");
        return u == null || u.isBlank() ? "unknown" : u;
    }
}
