package io.verops.cli;

import io.verops.core.BatchIds;
import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.operation.Operation;
import io.verops.core.operation.OperationCatalog;
import io.verops.ingest.BatchFormat;
import io.verops.ingest.BatchInput;
import io.verops.ingest.BatchPlan;
import io.verops.ingest.BatchPlanner;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code verops run}: the whole pipeline in this JVM on an embedded broker, for one batch. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a batch through ingest, a dry run of every item, approval, and the apply (codex exec per "
                + "item), verified and archived, in one JVM on an in-process Kafka broker.",
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

    @Option(names = "--yes", description = "approve the apply now (recorded as approved by you, with --yes)")
    boolean yes;

    @Mixin
    PipelineOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home = VeropsHome.resolve();
        OperationCatalog catalog = LocalSession.catalog(home);
        Operation op = catalog.find(operation).orElseThrow(() -> new Main.UsageException("unknown operation '" + operation
                + "' (known: " + String.join(", ", catalog.all().stream().map(Operation::name).toList()) + ")"));
        BatchInput batch = readInput();
        Clock clock = Clock.systemUTC();
        String batchId = BatchIds.next(clock);
        // Refuse bad batches before anything starts: nothing is published for them.
        BatchPlan plan = new BatchPlanner(clock).plan(op, batchId, Phase.DRY_RUN, batch);

        LocalSession.rememberTarget(home, batchId, op.name(), options.targetDb);
        try (LocalSession session = LocalSession.open(home, catalog, options, op, err);
             BatchWatcher watcher = new BatchWatcher(session.pipeline.kafka())) {
            err.println("verops: batch " + batchId + " of " + op.name() + ": " + plan.totalRows() + " rows, "
                    + plan.items().size() + " to run, " + plan.notExecuted().size()
                    + " not executed (needs input or duplicate)");
            session.pipeline.ingest().publish(plan);
            if (yes && op.apply().enabled()) {
                Approvals.publish(session, op, batchId, ControlMessage.Type.APPROVED, LocalSession.osUser() + " (--yes)",
                        "approved on the command line with --yes");
            }
            BatchEvent dry = Follow.phase(watcher, batchId, Phase.DRY_RUN, plan.items().size(), options, err);
            err.println("verops: dry run: " + Follow.counts(dry) + "; bundle " + dry.bundle());
            if (!op.apply().enabled()) {
                return Follow.finish(dry, watcher, batchId, op, out);
            }
            if (watcher.halt().isPresent()) {
                return Follow.finish(dry, watcher, batchId, op, out);
            }
            boolean decided = yes || (op.apply().autoApprove() && !op.apply().irreversible());
            int toApply = dry.counts().getOrDefault("success", 0);
            if (!decided) {
                Console console = System.console();
                if (console != null && toApply > 0) {
                    String answer = console.readLine("Apply %d changes to %s? [y/N] ", toApply, op.name());
                    if (answer != null && answer.trim().toLowerCase(Locale.ROOT).startsWith("y")) {
                        Approvals.publish(session, op, batchId, ControlMessage.Type.APPROVED,
                                LocalSession.osUser() + " (interactive)", "approved at the prompt");
                        decided = true;
                    }
                }
            }
            if (!decided) {
                out.println("batch " + batchId + " (" + op.name() + "): dry run done, " + toApply
                        + " changes await approval: verops approve " + batchId + " (or verops reject " + batchId + ")");
                out.println(dry.bundle());
                out.flush();
                return ExitCodes.AWAITING_APPROVAL;
            }
            BatchEvent apply = Follow.phase(watcher, batchId, Phase.APPLY, toApply, options, err);
            return Follow.finish(apply, watcher, batchId, op, out);
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
