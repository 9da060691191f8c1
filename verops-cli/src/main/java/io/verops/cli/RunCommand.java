package io.verops.cli;

import io.verops.codexsim.CodexSim;
import io.verops.codexsim.Fault;
import io.verops.codexsim.SimConfig;
import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.executor.ExecutorSettings;
import io.verops.executor.ModelEndpoint;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import io.verops.ingest.BatchPlanner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verops run}: the whole pipeline in this JVM on an embedded broker, for one batch. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a batch through ingest, executor (codex exec per item), verifier and archiver in one JVM, "
                + "on an in-process Kafka broker, and write its evidence bundle.",
                "Prints progress on stderr and the bundle's path as the last line of stdout.",
                "Exit codes: 0 every item succeeded; 1 some item did not succeed; 2 usage error or batch refused; "
                        + "3 halted; 4 awaiting approval; 70 internal error."})
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--operation", required = true, paramLabel = "NAME", description = "the operation (a folder under operations/)")
    String operation;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "the batch file, or - for standard input")
    String input;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv, json or jsonl (default: from the file extension)")
    String format;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports", description = "where bundles go (default: ${DEFAULT-VALUE})")
    Path reports;

    @Option(names = "--yes", description = "approve the apply without asking")
    boolean yes;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "4", description = "codex processes at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--target-db", paramLabel = "FILE", description = "the SQLite target instead of the operation's default")
    Path targetDb;

    @Option(names = "--sim", description = "use codex-sim even when OPENAI_API_KEY is set")
    boolean forceSim;

    @Option(names = "--sim-latency-ms", paramLabel = "MS", defaultValue = "0", description = "codex-sim: delay per model turn")
    long simLatencyMs;

    @Option(names = "--sim-fault", paramLabel = "SPEC", description = "codex-sim: inject a fault, e.g. off-schema:item=bob@example.com (repeatable)")
    List<String> simFaults = new ArrayList<>();

    @Option(names = "--timeout-minutes", paramLabel = "MIN", defaultValue = "60", description = "give up waiting for the batch after this long")
    long timeoutMinutes;

    @Option(names = "--verbose", description = "log what the stages do, and show stack traces")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (concurrency < 1) {
            throw new Main.UsageException("--concurrency must be at least 1 (found " + concurrency + ")");
        }
        Path home = VeropsHome.resolve();
        OperationCatalog catalog = OperationCatalog.load(home.resolve("operations"));
        Operation op = catalog.find(operation).orElseThrow(() -> new Main.UsageException("unknown operation '" + operation
                + "' (known: " + String.join(", ", catalog.all().stream().map(Operation::name).toList()) + ")"));
        BatchInput batch = readInput();
        Clock clock = Clock.systemUTC();
        String batchId = BatchIds.next(clock);
        // Refuse bad batches before anything starts: nothing is published for them.
        BatchPlan plan = new BatchPlanner(clock).plan(op, batchId, Phase.APPLY, batch);

        Path codex = VeropsHome.codexBinary(home);
        if (!Files.isExecutable(codex)) {
            throw new Main.UsageException("the codex CLI is not installed at " + codex
                    + " (run scripts/setup-tools.sh, or use ./verops which does it for you; or set VEROPS_CODEX)");
        }
        Path reportsDir = reports.isAbsolute() ? reports : Path.of("").toAbsolutePath().resolve(reports).normalize();
        Path runDir = home.resolve("var/runs").resolve(batchId);
        Map<String, Path> targets = new HashMap<>();
        if (targetDb != null) {
            targets.put(op.name(), targetDb.toAbsolutePath());
        }
        String apiKey = System.getenv("OPENAI_API_KEY");
        boolean useSim = forceSim || apiKey == null || apiKey.isBlank();
        List<Fault> faults = new ArrayList<>();
        for (String f : simFaults) {
            try {
                faults.add(Fault.parse(f));
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException("--sim-fault '" + f + "': " + e.getMessage());
            }
        }
        CodexSim sim = null;
        try {
            ModelEndpoint endpoint;
            if (useSim) {
                sim = CodexSim.start(SimConfig.defaults().withLatency(Duration.ofMillis(simLatencyMs)).withFaults(faults));
                endpoint = ModelEndpoint.codexSim(sim.baseUrl());
                err.println("verops: model: codex-sim, the scripted model server (" + (forceSim ? "--sim" : "no OPENAI_API_KEY set")
                        + "); set OPENAI_API_KEY to use a real model");
            } else {
                endpoint = ModelEndpoint.openAi();
                err.println("verops: model: " + op.model().name() + " through the OpenAI API (OPENAI_API_KEY)");
            }
            ExecutorSettings es = new ExecutorSettings(codex, home, runDir.resolve("work"), endpoint, concurrency,
                    Duration.ofSeconds(1), targets);
            err.println("verops: batch " + batchId + " of " + op.name() + ": " + plan.totalRows() + " rows, "
                    + plan.items().size() + " to run, " + plan.notExecuted().size() + " not executed (needs input or duplicate)");
            err.println("verops: starting the embedded Kafka broker and the four stages");
            err.flush();
            try (LocalPipeline pipeline = LocalPipeline.start(catalog, es, runDir.resolve("kafka"), reportsDir, clock);
                 BatchWatcher watcher = new BatchWatcher(pipeline.kafka())) {
                pipeline.ingest().publish(plan);
                int total = plan.items().size();
                AtomicInteger done = new AtomicInteger();
                BatchEvent completed = watcher.awaitCompleted(batchId, Phase.APPLY, Duration.ofMinutes(timeoutMinutes), v -> {
                    err.println("verops: " + done.incrementAndGet() + "/" + total + " items done (" + v.itemId() + ": "
                            + v.status().wire() + ")");
                    err.flush();
                });
                Map<String, Integer> c = completed.counts();
                out.println("batch " + batchId + " (" + op.name() + "): " + c.get("total_items") + " items: "
                        + c.get("success") + " succeeded, " + c.get("failure") + " failed, " + c.get("skipped")
                        + " skipped, " + c.get("needs_input") + " need input, " + c.get("indeterminate") + " indeterminate");
                out.println(completed.bundle());
                out.flush();
                return c.get("success").equals(c.get("total_items")) ? ExitCodes.OK : ExitCodes.NOT_ALL_SUCCEEDED;
            }
        } finally {
            if (sim != null) {
                sim.close();
            }
        }
    }

    private BatchInput readInput() throws IOException {
        String name = input.equals("-") ? "stdin" : input;
        BatchFormat fmt;
        if (format != null) {
            fmt = BatchFormat.fromName(format).orElseThrow(() -> new Main.UsageException(
                    "--format '" + format + "' is not one of csv, json, jsonl"));
        } else if (input.equals("-")) {
            throw new Main.UsageException("reading from stdin needs --format csv|json|jsonl");
        } else {
            fmt = BatchFormat.fromFileName(input).orElseThrow(() -> new Main.UsageException(
                    "cannot tell the format of '" + input + "' from its extension: use --format csv|json|jsonl"));
        }
        byte[] bytes;
        if (input.equals("-")) {
            bytes = System.in.readAllBytes();
        } else {
            Path p = Path.of(input);
            if (Files.isDirectory(p)) {
                throw new Main.UsageException("--input '" + input + "' is a folder, not a batch file");
            }
            try {
                bytes = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                throw new Main.UsageException("--input '" + input + "': no such file");
            }
        }
        return new BatchInput(name, fmt, bytes);
    }
}
