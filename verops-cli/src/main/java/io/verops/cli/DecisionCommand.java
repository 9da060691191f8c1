package io.verops.cli;

import io.verops.core.Phase;
import io.verops.core.messages.BatchEvent;
import io.verops.core.messages.ControlMessage;
import io.verops.core.operation.Operation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** approve / reject: an operator's decision on a batch awaiting approval, then the apply (or its refusal) run to its end. */
abstract class DecisionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BATCH-ID", description = "the batch (as printed by verops run)")
    String batchId;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (recorded in the evidence)")
    String reason;

    @Mixin
    PipelineOptions options;

    abstract ControlMessage.Type decision();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path home = VeropsHome.resolve();
        var catalog = LocalSession.catalog(home);
        Path remembered = LocalSession.rememberedTarget(home, batchId);
        if (options.targetDb != null && remembered != null
                && !options.targetDb.toAbsolutePath().normalize().equals(remembered.normalize())) {
            throw new Main.UsageException("batch " + batchId + " ran its dry run against " + remembered
                    + "; its apply cannot target " + options.targetDb);
        }
        if (options.targetDb == null) {
            options.targetDb = remembered;
        }
        String operationName = LocalSession.rememberedOperation(home, batchId);
        Operation targetOp = operationName == null ? null : catalog.find(operationName).orElse(null);
        try (LocalSession session = LocalSession.open(home, catalog, options, targetOp, err)) {
            BatchLedger.Entry entry = BatchLedger.read(session.pipeline.kafka()).get(batchId);
            if (entry == null || entry.dryAccepted == null) {
                throw new Main.UsageException("no batch '" + batchId + "' is known here (see verops status)");
            }
            Operation op = catalog.require(entry.operation);
            String stage = entry.stage(op.apply().enabled());
            if (!stage.equals("awaiting approval") && !stage.equals("dry run")) {
                throw new Main.UsageException("batch " + batchId + " is not awaiting approval (it is " + stage + ")");
            }
            try (BatchWatcher watcher = new BatchWatcher(session.pipeline.kafka())) {
                String actor = LocalSession.osUser();
                Approvals.publish(session, op, batchId, decision(), actor, reason);
                err.println("verops: batch " + batchId + " " + decision().name().toLowerCase() + " by " + actor);
                int total = decision() == ControlMessage.Type.APPROVED && entry.dryCompleted != null
                        ? entry.dryCompleted.counts().getOrDefault("success", 0) : 0;
                BatchEvent done = Follow.phase(watcher, batchId, Phase.APPLY, total, options, err);
                int code = Follow.finish(done, watcher, batchId, op, out);
                return decision() == ControlMessage.Type.REJECTED && code != ExitCodes.HALTED ? ExitCodes.OK : code;
            }
        }
    }

    @CommandLine.Command(name = "approve", mixinStandardHelpOptions = true,
            description = {"Approve the apply of a batch awaiting approval (your OS user is recorded as the approver), "
                    + "run it, and print the apply bundle's path.", "Exit codes as for run."})
    static final class Approve extends DecisionCommand {
        @Override
        ControlMessage.Type decision() {
            return ControlMessage.Type.APPROVED;
        }
    }

    @CommandLine.Command(name = "reject", mixinStandardHelpOptions = true,
            description = {"Reject the apply of a batch awaiting approval: nothing is applied, and the apply bundle "
                    + "records every row as skipped with the rejection.", "Exit code 0 once recorded."})
    static final class Reject extends DecisionCommand {
        @Override
        ControlMessage.Type decision() {
            return ControlMessage.Type.REJECTED;
        }
    }
}
